package app.caravel.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs one JMH class and prints its figures as a table, also left in {@code target/<file>}. */
final class JmhTable {
    private JmhTable() {
    }

    /** {@code header}: the first column's title and the score's, e.g. "ops/s". */
    static void run(Class<?> benchmarks, String firstColumn, String score, String file) throws RunnerException, IOException {
        List<String> lines = new ArrayList<>();
        int width = Math.max(16, firstColumn.length());
        lines.add(String.format("%-" + width + "s %18s %12s", firstColumn, score, "± (99.9%)"));
        for (RunResult result : new Runner(new OptionsBuilder().include(benchmarks.getSimpleName())
                .verbosity(VerboseMode.SILENT).build()).run()) {
            var primary = result.getPrimaryResult();
            String name = result.getParams().getBenchmark();
            lines.add(String.format("%-" + width + "s %18.1f %12.1f", name.substring(name.lastIndexOf('.') + 1),
                    primary.getScore(), primary.getScoreError()));
        }
        lines.add(String.format("cores: %d, java %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        System.out.println();
        lines.forEach(System.out::println);
        Files.write(Path.of("target", file), lines);
    }
}
