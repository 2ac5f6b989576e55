package io.messagebridge.routefiles;

import java.nio.file.Path;

/** One thing wrong in a route file, printed the way editors and CI logs link it: {@code file:line: message}. */
public record RouteFileProblem(Path file, int line, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
