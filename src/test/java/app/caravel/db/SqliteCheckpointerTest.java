package app.caravel.db;

import app.caravel.support.Await;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * On a real SQLite file opened as the app opens it: commits stay in the WAL (no commit crosses the raised
 * automatic-checkpoint threshold, so no writer pays for a copy), and the checkpointer's thread copies them
 * into the database file beside the writers.
 */
class SqliteCheckpointerTest {
    @TempDir
    Path dir;

    @Test
    void commitsLeaveTheCopyToTheCheckpointersThread() throws Exception {
        assumeFalse(TestEngine.postgres(), "SQLite's WAL");
        try (TestDatabase test = new TestDatabase(dir)) {
            Path file = Path.of(test.config().databasePath().toString());
            test.jdbi().useHandle(h -> {
                assertEquals(0, h.createQuery("PRAGMA mmap_size").mapTo(Integer.class).one(), "no memory map");
                assertEquals(SqliteCheckpointer.AUTOCHECKPOINT_PAGES,
                        h.createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one());
                h.execute("PRAGMA wal_checkpoint(TRUNCATE)"); // start from an empty WAL
            });
            long fileBefore = Files.size(file);
            // 600 commits of a 1 KiB row each: about 300 pages, under the threshold, all in the WAL
            for (int i = 0; i < 600; i++) {
                int n = i;
                test.jdbi().useTransaction(h -> h.createUpdate("INSERT INTO nip98_replays (signature, expires_at) "
                        + "VALUES (:s, 0)").bind("s", String.format("%04d", n) + "x".repeat(1020)).execute());
            }
            Path wal = Path.of(file + "-wal");
            assertTrue(Files.size(wal) > 600 * 1024, "the commits are in the WAL");
            assertEquals(fileBefore, Files.size(file), "no commit copied anything into the file");

            SqliteCheckpointer checkpointer = new SqliteCheckpointer(test.jdbi(), (SqliteWriteGate) test.dataSource(),
                    Duration.ofMillis(50));
            checkpointer.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (Files.size(file) < fileBefore + 600 * 1024 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } finally {
                checkpointer.stop();
            }
            assertTrue(Files.size(file) >= fileBefore + 600 * 1024, "the checkpointer copied the rows into the file");
            int rows = test.count("SELECT COUNT(*) FROM nip98_replays");
            assertEquals(600, rows);
        }
    }

    /**
     * A writer commits without a pause, so a new frame nearly always lands between a pass beside it and its next
     * BEGIN: the WAL only starts over (new salts in its header) when the pass runs in the writers' line.
     */
    @Test
    void aLongWalStartsOverWhileAWriterKeepsCommitting() throws Exception {
        assumeFalse(TestEngine.postgres(), "SQLite's WAL");
        try (TestDatabase test = new TestDatabase(dir)) {
            Path wal = Path.of(test.config().databasePath() + "-wal");
            test.jdbi().useHandle(h -> h.execute("PRAGMA wal_checkpoint(TRUNCATE)"));
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger commits = new AtomicInteger();
            Thread writer = new Thread(() -> {
                while (writing.get()) {
                    int n = commits.get();
                    test.jdbi().useTransaction(h -> h.createUpdate("INSERT INTO nip98_replays (signature, expires_at) "
                            + "VALUES (:s, 0)").bind("s", String.format("%06d", n) + "x".repeat(1018)).execute());
                    commits.incrementAndGet();
                }
            });
            writer.start();
            try {
                long longWal = (SqliteCheckpointer.RESTART_FRAMES + 100) * (4096L + 24);
                Await.until("the WAL to pass the restart threshold", Duration.ofSeconds(30),
                        () -> Files.exists(wal) && size(wal) > longWal);
                long salts = salts(wal);

                new SqliteCheckpointer(test.jdbi(), (SqliteWriteGate) test.dataSource(), Duration.ofSeconds(1))
                        .checkpoint();
                int after = commits.get();
                Await.until("a few more commits", Duration.ofSeconds(10), () -> commits.get() > after + 5);

                assertNotEquals(salts, salts(wal), "the next write transaction started the WAL over");
            } finally {
                writing.set(false);
                writer.join();
            }
            int rows = test.count("SELECT COUNT(*) FROM nip98_replays");
            assertEquals(commits.get(), rows, "every commit is kept");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The WAL header's two salts (bytes 16-23): SQLite draws new ones each time it starts the WAL over. */
    private static long salts(Path wal) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(wal.toFile(), "r")) {
            file.seek(16);
            return file.readLong();
        }
    }
}
