package io.github.emotion4j.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/** Writes that leave either the old file or the whole new one, never half of it; and hashing. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes bytes to a temporary file beside {@code target}, then moves it into place atomically.
   *
   * @param target the file to write
   * @param bytes its new contents
   * @throws IOException if writing or moving fails; {@code target} is then unchanged
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      Files.write(tmp, bytes);
      readableByAll(tmp);
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Moves a file or folder into place, atomically where the file system allows, replacing a file.
   *
   * @param source the finished file or folder (on the same file system)
   * @param target where it goes
   * @throws IOException if the move fails
   */
  public static void move(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Gives a temporary file or folder the usual permissions of a finished one (temporary files are
   * created private): rw-r--r--, or rwxr-xr-x for a folder, where the file system has POSIX modes.
   *
   * @param path the file or folder
   * @throws IOException if the permissions cannot be set
   */
  public static void readableByAll(Path path) throws IOException {
    try {
      Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(
          Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows and other non-POSIX file systems: the default permissions apply
    }
  }

  /**
   * Deletes a folder and everything under it; missing is fine.
   *
   * @param dir the folder
   */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + dir, e);
    }
  }

  /**
   * Returns the sha256 of some bytes as lower-case hex.
   *
   * @param bytes the bytes
   * @return 64 hex digits
   */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required on every JVM", e);
    }
  }
}
