package org.autosync.targets.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Counts the {@link ActorContract} tests per server (passed, failed, skipped) and, when the test plan ends,
 * prints one line per server and writes them to {@code target/actor-contract-summary.txt}.
 */
public final class ContractSummary implements TestWatcher, BeforeAllCallback {

    private static final Map<String, int[]> COUNTS = new TreeMap<>();
    private static boolean registered;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (COUNTS) {
            if (!registered) {
                registered = true;
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(ContractSummary.class.getName(),
                        new OnClose(ContractSummary::report));
            }
        }
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        count(context, 0);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        count(context, 1);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        count(context, 2);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        count(context, 2);
    }

    private static void count(ExtensionContext context, int slot) {
        String server = context.getTestInstance().filter(ActorContract.class::isInstance)
                .map(i -> ((ActorContract) i).serverName()).orElse(context.getRequiredTestClass().getSimpleName());
        synchronized (COUNTS) {
            COUNTS.computeIfAbsent(server, s -> new int[3])[slot]++;
        }
    }

    static String lines() {
        StringBuilder sb = new StringBuilder();
        synchronized (COUNTS) {
            COUNTS.forEach((server, c) -> sb.append(String.format("actor contract on %-28s ran %2d (passed %2d, failed %d), skipped %2d%n",
                    server, c[0] + c[1], c[0], c[1], c[2])));
        }
        return sb.toString();
    }

    private static void report() {
        String text = lines();
        System.out.print(text);
        try {
            Path file = Path.of(System.getProperty("user.dir"), "target", "actor-contract-summary.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("cannot write the contract summary: " + e);
        }
    }

    /** Run once at the end of the test plan (AutoCloseable for JUnit 5.13+, CloseableResource for older). */
    private record OnClose(Runnable action) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            action.run();
        }
    }
}
