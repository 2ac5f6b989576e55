package io.messagebridge.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files with credentials as an operator must leave them: readable and writable by their owner only (mode 600). */
public final class PrivateFiles {

    private PrivateFiles() {
    }

    public static Path write(Path file, String content) {
        try {
            Files.writeString(file, content);
            return Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
