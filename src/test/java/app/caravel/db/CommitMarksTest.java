package app.caravel.db;

import app.caravel.support.TestDatabase;
import app.caravel.support.TestEngine;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A commit mark changes when, and only when, something was committed to the database: by the app's own
 * connections (its pool, the SQLite writer) or by a connection of another process. PostgreSQL gives none.
 */
class CommitMarksTest {
    @TempDir
    Path dir;

    @Test
    void aMarkChangesExactlyWhenSomethingWasCommittedByAnyone() throws Exception {
        try (TestDatabase test = new TestDatabase(dir)) {
            DataSourceFactory factory = test.config().dataSourceFactory();
            CommitMarks marks = ConnectionPool.commitMarks(factory, new MetricRegistry(), "marks-test");
            marks.start();
            try {
                if (TestEngine.postgres()) {
                    assertEquals(OptionalLong.empty(), marks.now(), "no mark: every kept answer is checked against its rows");
                    return;
                }
                test.jdbi().useHandle(h -> h.execute("CREATE TABLE marked (n INTEGER NOT NULL)"));
                long first = marks.now().orElseThrow();
                assertEquals(first, marks.now().orElseThrow(), "nothing committed in between");
                test.jdbi().useHandle(h -> h.createQuery("SELECT count(*) FROM marked").mapTo(Long.class).one());
                assertEquals(first, marks.now().orElseThrow(), "a read commits nothing");
                assertThrows(IllegalStateException.class, () -> test.jdbi().useTransaction(h -> {
                    h.execute("INSERT INTO marked VALUES (1)");
                    throw new IllegalStateException("rolled back");
                }));
                assertEquals(first, marks.now().orElseThrow(), "a transaction rolled back commits nothing");

                test.jdbi().useTransaction(h -> h.execute("INSERT INTO marked VALUES (2)")); // on the writer
                long second = marks.now().orElseThrow();
                assertNotEquals(first, second, "a transaction of this process");
                test.jdbi().useHandle(h -> h.execute("INSERT INTO marked VALUES (3)")); // on a pooled connection
                long third = marks.now().orElseThrow();
                assertNotEquals(second, third, "a statement of this process outside a transaction");

                try (Connection other = DriverManager.getConnection(factory.getUrl()); Statement s = other.createStatement()) {
                    s.execute("INSERT INTO marked VALUES (4)");
                }
                assertNotEquals(third, marks.now().orElseThrow(), "a connection of its own, as another process has");
            } finally {
                marks.stop();
            }
        }
    }

    @Test
    void marksNeverRepeatAcrossAWrapOfSqlitesCount() {
        SqliteCommitMarks marks = new SqliteCommitMarks(null);
        long before = marks.mark(0xFFFF_FFFEL);
        long wrapped = marks.mark(3); // 2^32 commits later, or a new connection counting from its start
        long next = marks.mark(4);
        assertTrue(before < wrapped && wrapped < next, before + " " + wrapped + " " + next);
        assertEquals(next, marks.mark(4), "no commit, the same mark");
    }
}
