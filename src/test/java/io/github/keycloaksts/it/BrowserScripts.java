package io.github.keycloaksts.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a browser test script of {@code src/test/browser} (Node, playwright-core, Debian's Chromium) against the
 * test server and returns what it printed; the script's exit code is its verdict.
 */
final class BrowserScripts {

    static final File DIRECTORY = new File("src/test/browser");
    /** Screenshots the README shows: written by the tests, so they always show the current pages. */
    static final File SCREENSHOTS = new File("docs/screenshots");

    record Run(int exitCode, String output) {
    }

    private BrowserScripts() {
    }

    static Run run(String script, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(DIRECTORY).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("SCREENSHOT_DIR", SCREENSHOTS.getAbsolutePath());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish in 5 minutes");
        }
        String printed = new String(output, StandardCharsets.UTF_8);
        System.out.println("--- " + script + " ---\n" + printed);
        return new Run(process.exitValue(), printed);
    }
}
