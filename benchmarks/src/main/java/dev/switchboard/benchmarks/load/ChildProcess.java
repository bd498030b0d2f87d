package dev.switchboard.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A process under test (the server or a baseline): its port, and its CPU time from /proc. */
final class ChildProcess implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("listening on (?:port )?(\\d+)");
    private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

    final Process process;
    final int port;

    private ChildProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ChildProcess start(List<String> command, Path log) throws IOException {
        Process process =
                new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = PORT.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
                drain.setDaemon(true);
                drain.start();
                return new ChildProcess(process, Integer.parseInt(m.group(1)));
            }
        }
        throw new IOException("process exited before listening: " + String.join(" ", command) + " (see " + log + ")");
    }

    /** User plus system CPU seconds the process has used so far. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** A memory figure of the process from /proc, in MiB: {@code VmRSS} (now) or {@code VmHWM} (peak). */
    double memoryMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return Double.NaN;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
