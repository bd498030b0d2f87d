package dev.switchboard.server.testing;

import dev.switchboard.server.cli.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The server in its own JVM, started through the CLI on the test classpath, to be killed at will. */
public record ServerProcess(Process process, int port) implements AutoCloseable {
    private static final String LISTENING = "Switchboard listening on port ";

    public static ServerProcess start(Path config, Path data) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        classpath,
                        Main.class.getName(),
                        "serve",
                        "--config",
                        config.toString(),
                        "--data-dir",
                        data.toString(),
                        "--port",
                        "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(LISTENING)) {
                int port = Integer.parseInt(line.substring(LISTENING.length()).split(" ")[0]);
                Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
                drain.setDaemon(true);
                drain.start();
                return new ServerProcess(process, port);
            }
        }
        throw new IllegalStateException("the server exited before listening: " + process.waitFor());
    }

    /** SIGKILL, and wait for the process to be gone; returns its exit status (137). */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** SIGTERM: a graceful stop. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
