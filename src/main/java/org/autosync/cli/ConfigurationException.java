package org.autosync.cli;

/**
 * A problem with the options or the environment that the user has to fix: printed as one line
 * {@code autosync: MESSAGE}, exit {@value ExitCode#CONFIG_ERROR}, never a stack trace.
 */
final class ConfigurationException extends RuntimeException {

    ConfigurationException(String message) {
        super(message);
    }
}
