package org.autosync.state.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** Statements that take effect together or not at all, on a connection that is otherwise in auto-commit. */
final class Transaction {

    interface Work {
        void run(Connection c) throws SQLException;
    }

    private Transaction() {
    }

    static void run(Connection c, Work work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
