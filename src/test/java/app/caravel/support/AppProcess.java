package app.caravel.support;

import app.caravel.CaravelApplication;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real service in its own JVM ({@code server config.yml}), configured from config.yml's defaults plus the
 * given settings: a process a test can kill with SIGKILL and start again on the same database file.
 */
public final class AppProcess implements AutoCloseable {
    private final Process process;
    private final int adminPort;

    private AppProcess(Process process, int adminPort) {
        this.process = process;
        this.adminPort = adminPort;
    }

    /** Starts the server and waits until its admin port answers. */
    public static AppProcess start(Map<String, String> settings, int adminPort, Path workDir, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions()); // the settings `make run` gives the server
        command.addAll(List.of("-cp", absoluteClassPath()));
        settings.forEach((key, value) -> command.add("-Ddw." + key + "=" + value));
        if (settings.getOrDefault("database_url", "").startsWith("postgres") && !settings.containsKey("secrets_key")) {
            command.add("-Ddw.secrets_key=" + TestEngine.POSTGRES_SECRETS_KEY); // every process on it shares the key
        }
        command.add("-Ddw.admin_port=" + adminPort);
        command.add(CaravelApplication.class.getName());
        command.add("server");
        command.add(TestApps.configPath());
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        AppProcess app = new AppProcess(process, adminPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!app.answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                List<String> lines = java.nio.file.Files.readAllLines(log);
                throw new IllegalStateException("the app did not start: "
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
            Thread.sleep(100);
        }
        return app;
    }

    /** src/main/jvm/jvm.options, the one place the server's JVM settings are written. */
    static List<String> jvmOptions() {
        try {
            return java.nio.file.Files.readAllLines(Path.of(System.getProperty("caravel.jvm-options",
                    "src/main/jvm/jvm.options"))).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            return List.of("-Xmx384m");
        }
    }

    /** This JVM's class path with every entry made absolute: the child runs in another folder. */
    private static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private boolean answers() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                    + "/ping")).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** POST /tasks/billing-tick?at=…: the body, or the error if the process died under it. */
    public String billingTick(long at) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                            + "/tasks/billing-tick?at=" + at)).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofMinutes(15)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "connection lost: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** CPU seconds the process has used so far (user + system). */
    public double cpuSeconds() {
        return ProcessCpu.of(process.pid());
    }

    /** CPU seconds the process's JIT compiler threads (C1 and C2) have used so far. */
    public double jitCpuSeconds() {
        return ProcessCpu.ofThreads(process.pid(), "C1 Compiler", "C2 Compiler");
    }

    /** The process's resident memory now (VmRSS) in MiB, read from /proc; NaN where there is no /proc. */
    public double rssMiB() {
        return procStatusMiB("VmRSS:");
    }

    /** The part of {@link #rssMiB()} that is file pages mapped in (RssFile: the SQLite file's memory map, jars). */
    public double fileRssMiB() {
        return procStatusMiB("RssFile:");
    }

    /** The process's peak resident memory (VmHWM) in MiB. */
    public double peakRssMiB() {
        return procStatusMiB("VmHWM:");
    }

    private double procStatusMiB(String field) {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** SIGKILL: no shutdown hook, no finally block runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
    }
}
