package app.caravel.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds that processes have used, from /proc (user + system): the load bench divides them by the
 * requests of a run, so a row says how many microseconds of each process one request cost. NaN without /proc.
 */
public final class ProcessCpu {
    /** Linux reports /proc times in USER_HZ ticks, 100 a second on every architecture the JDK runs on here. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** CPU seconds used by process {@code pid} so far. */
    public static double of(long pid) {
        long[] times = times(Path.of("/proc", String.valueOf(pid), "stat"));
        return times == null ? Double.NaN : (times[0] + times[1]) / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds used so far by the threads of process {@code pid} whose name starts with one of
     * {@code prefixes} (Linux keeps a thread's first 15 characters: "C2 CompilerThre"); NaN without /proc.
     */
    public static double ofThreads(long pid, String... prefixes) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return tasks.map(t -> t.resolve("stat"))
                    .filter(stat -> {
                        String comm = comm(stat);
                        return comm != null && java.util.Arrays.stream(prefixes).anyMatch(comm::startsWith);
                    })
                    .mapToDouble(stat -> {
                        long[] t = times(stat);
                        return t == null ? 0 : (t[0] + t[1]) / TICKS_PER_SECOND;
                    }).sum();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds used so far by every live process named {@code name}, plus what the ones that ended had
     * used (counted in their parent's children's times once reaped): a PostgreSQL server's backends.
     */
    public static double ofAllNamed(String name) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .map(p -> p.resolve("stat"))
                    .filter(stat -> name.equals(comm(stat)))
                    .mapToDouble(stat -> {
                        long[] t = times(stat);
                        return t == null ? 0 : (t[0] + t[1] + t[2] + t[3]) / TICKS_PER_SECOND;
                    }).sum();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static String comm(Path stat) {
        try {
            String line = Files.readString(stat);
            return line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
        } catch (IOException | RuntimeException e) {
            return null; // the process ended while listed
        }
    }

    /** utime, stime, cutime, cstime: fields 14-17 of /proc/PID/stat, counted after the command's ')'. */
    private static long[] times(Path stat) {
        try {
            String line = Files.readString(stat);
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
