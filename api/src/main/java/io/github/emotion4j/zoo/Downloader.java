package io.github.emotion4j.zoo;

import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.internal.Versions;
import io.github.emotion4j.model.ModelPackage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP downloads for the zoo: retries with backoff, timeouts (also for a body that stalls), sha256
 * and size checks, a temporary file moved into place atomically, and locks so that two threads or
 * two JVMs fetching the same model end with one good copy.
 */
final class Downloader {
  private static final Logger log = LoggerFactory.getLogger(Downloader.class);
  private static final long MAX_INDEX_BYTES = 16L << 20;
  private static final String LOCK_FILE = ".lock";

  /** One lock per cache file in this JVM: a FileLock cannot be taken twice by one JVM. */
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "emotion4j-zoo-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final ZooConfig config;
  private final DownloadListener listener;
  private volatile HttpClient client;

  Downloader(ZooConfig config, DownloadListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /** A failure worth another attempt: a timeout, a cut connection, HTTP 5xx. */
  private static final class Retryable extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    Retryable(String reason, Throwable cause) {
      super(reason, cause);
      this.reason = reason;
    }
  }

  private interface Attempt<T> {
    T run() throws Retryable;
  }

  /** Checks that a URL may be used: https, or http where allowed. */
  void checkScheme(URI uri, String what) {
    if ("http".equalsIgnoreCase(uri.getScheme()) && !config.allowHttp()) {
      throw new ZooException("Refusing to fetch " + what + " from " + uri + " over plain http://:"
          + " anyone on the path could replace the model. Use an https:// mirror, or allow http"
          + " explicitly with -D" + ZooConfig.ALLOW_HTTP_PROPERTY + "=true (or "
          + ZooConfig.envName(ZooConfig.ALLOW_HTTP_PROPERTY) + "=true, or"
          + " ModelZoo.builder().allowHttp(true)). See docs/ZOO.md#http", uri.toString(),
          "plain http refused", null);
    }
  }

  /** Fetches a small file (an index) with retries. */
  byte[] fetchSmall(URI uri, String what) {
    checkScheme(uri, what);
    return withRetries(uri, what, () -> {
      HttpResponse<InputStream> r = send(uri);
      try (InputStream in = r.body()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy(in, out, uri, -1, MAX_INDEX_BYTES, null, null);
        return out.toByteArray();
      } catch (IOException e) {
        throw new Retryable("connection failed while reading: " + e, e);
      }
    });
  }

  /**
   * Downloads {@code remote} to {@code target}, or returns at once if a good copy is already there
   * (perhaps put there by another thread or JVM while this one waited for the lock).
   */
  Path download(ZooEntry remote, URI uri, Path target) {
    checkScheme(uri, "model \"" + remote.spec() + "\"");
    Path dir = target.toAbsolutePath().getParent();
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(target.toAbsolutePath().normalize(),
        k -> new ReentrantLock());
    jvmLock.lock();
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        deleteParts(dir); // under the directory's lock no download is writing one: all are stale
        if (Files.isRegularFile(target) && sha256(target).equals(remote.sha256())) {
          log.debug("Model {} is already in the cache at {} (fetched while waiting for the lock)",
              remote.spec(), target);
          return target;
        }
        log.info("Downloading model {} from {} ({} bytes)", remote.spec(), uri, remote.sizeBytes());
        withRetries(uri, "model \"" + remote.spec() + "\"", () -> downloadOnce(remote, uri, target));
        log.info("Downloaded model {} to {}", remote.spec(), target);
        return target;
      }
    } catch (IOException e) {
      throw new ZooException("Could not use the model cache " + dir + " for model \"" + remote.spec()
          + "\": " + e + ". Check that the directory is writable, or choose another with -D"
          + ZooConfig.CACHE_PROPERTY + "=<dir> (" + ZooConfig.envName(ZooConfig.CACHE_PROPERTY)
          + ")", dir.toString(), "cache not writable", e);
    } finally {
      jvmLock.unlock();
    }
  }

  private Path downloadOnce(ZooEntry remote, URI uri, Path target) throws Retryable {
    Path tmp;
    try {
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
    } catch (IOException e) {
      throw new ZooException("Could not create a temporary file in " + target.getParent() + ": " + e,
          target.getParent().toString(), "cache not writable", e);
    }
    try {
      HttpResponse<InputStream> r = send(uri);
      long total = r.headers().firstValueAsLong("Content-Length").orElse(remote.sizeBytes());
      MessageDigest digest = newDigest();
      long done;
      try (InputStream in = r.body();
          OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
        done = copy(in, out, uri, total, Long.MAX_VALUE, remote, total);
      } catch (IOException e) {
        throw new Retryable("connection failed during the download: " + e, e);
      }
      if (remote.sizeBytes() >= 0 && done < remote.sizeBytes()) {
        throw new Retryable("truncated: received " + done + " of " + remote.sizeBytes() + " bytes",
            null);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (remote.sizeBytes() >= 0 && done != remote.sizeBytes()) {
        throw failure(remote, uri, "size mismatch", "the file has " + done + " bytes but the index says "
            + remote.sizeBytes() + " (sha256 " + actual + ")", null);
      }
      if (!actual.equals(remote.sha256())) {
        throw failure(remote, uri, "sha256 mismatch", "sha256 mismatch: the file has " + actual
            + " but the index says " + remote.sha256() + "; the file or the index was altered", null);
      }
      try {
        ModelPackage.load(tmp);
      } catch (ModelPackageException e) {
        throw failure(remote, uri, "invalid package", "not a valid model package: " + e.getMessage(),
            e);
      }
      AtomicFiles.move(tmp, target);
      return target;
    } catch (IOException e) {
      throw new ZooException("Could not write model \"" + remote.spec() + "\" into the cache at "
          + target + ": " + e, target.toString(), "cache not writable", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        log.warn("Could not delete the temporary file {}: {}", tmp, e.toString());
      }
    }
  }

  private static ZooException failure(ZooEntry remote, URI uri, String reason, String detail,
      Throwable cause) {
    return new ZooException("Could not download model \"" + remote.spec() + "\" from " + uri + ": "
        + detail + ". The cache is unchanged. Check the mirror's file and its index.json entry; see"
        + " docs/ZOO.md#errors", uri.toString(), reason, cause);
  }

  private <T> T withRetries(URI uri, String what, Attempt<T> attempt) {
    long backoff = config.retryBackoff().toMillis();
    Retryable last = null;
    for (int i = 1; i <= config.attempts(); i++) {
      try {
        return attempt.run();
      } catch (Retryable e) {
        last = e;
        if (i < config.attempts()) {
          log.warn("Attempt {} of {} to fetch {} from {} failed ({}); retrying in {} ms", i,
              config.attempts(), what, uri, e.reason, backoff);
          try {
            Thread.sleep(backoff);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ZooException("Interrupted while fetching " + what + " from " + uri, uri.toString(),
                "interrupted", ie);
          }
          backoff *= 2;
        }
      }
    }
    throw new ZooException("Could not fetch " + what + " from " + uri + ": " + last.reason + " (after "
        + config.attempts() + " attempts). The cache is unchanged. Check that the mirror is up and"
        + " reachable, raise -D" + ZooConfig.READ_TIMEOUT_PROPERTY + " or -D"
        + ZooConfig.ATTEMPTS_PROPERTY + ", or work offline with a local copy; see docs/ZOO.md#errors",
        uri.toString(), last.reason, last.getCause());
  }

  private HttpResponse<InputStream> send(URI uri) throws Retryable {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(config.readTimeout())
        .header("User-Agent", "emotion4j/" + Versions.emotion4j())
        .GET()
        .build();
    HttpResponse<InputStream> r;
    try {
      r = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new Retryable("connect timed out after " + config.connectTimeout().toMillis() + " ms", e);
    } catch (HttpTimeoutException e) {
      throw new Retryable("timed out: no response within " + config.readTimeout().toMillis() + " ms", e);
    } catch (ConnectException e) {
      throw new Retryable("connection refused or unreachable (" + e + ")", e);
    } catch (IOException e) {
      throw new Retryable("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZooException("Interrupted while fetching " + uri, uri.toString(), "interrupted", e);
    }
    int status = r.statusCode();
    if (status == 200) {
      return r;
    }
    try {
      r.body().close();
    } catch (IOException e) {
      log.debug("Closing the body of {} failed: {}", uri, e.toString());
    }
    String reason = "HTTP " + status;
    if (status >= 500 || status == 408 || status == 429) {
      throw new Retryable(reason, null);
    }
    throw new ZooException("Could not fetch " + uri + ": " + reason
        + (status == 404 ? " (not found: the mirror lacks the file its index.json lists, or the URL"
            + " is wrong)" : status == 401 || status == 403 ? " (access denied)" : "")
        + ". The cache is unchanged. Check -D" + ZooConfig.URL_PROPERTY
        + " and the mirror's files; see docs/ZOO.md#errors", uri.toString(), reason, null);
  }

  /**
   * Copies a body with a watchdog that aborts a read pausing longer than the read timeout; reports
   * progress when {@code entry} is not null.
   */
  private long copy(InputStream in, OutputStream out, URI uri, long expected, long max,
      ZooEntry entry, Long total) throws Retryable, IOException {
    Thread reader = Thread.currentThread();
    long timeout = config.readTimeout().toMillis();
    long[] lastProgress = {System.nanoTime()};
    boolean[] state = new boolean[2]; // [0] stalled, [1] finished
    long period = Math.max(10, timeout / 4);
    ScheduledFuture<?> watchdog = WATCHDOG.scheduleAtFixedRate(() -> {
      synchronized (state) {
        if (!state[1] && System.nanoTime() - lastProgress[0] > timeout * 1_000_000L) {
          state[0] = true;
          state[1] = true;
          reader.interrupt();
          try {
            in.close();
          } catch (IOException e) {
            log.debug("Closing a stalled download failed: {}", e.toString());
          }
        }
      }
    }, period, period, TimeUnit.MILLISECONDS);
    long done = 0;
    try {
      if (entry != null) {
        listener.progress(entry, 0, total);
      }
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n == 0) {
          continue;
        }
        out.write(buf, 0, n);
        done += n;
        synchronized (state) {
          lastProgress[0] = System.nanoTime();
        }
        if (done > max) {
          throw new ZooException(uri + " is larger than " + max + " bytes; it is not an index",
              uri.toString(), "too large", null);
        }
        if (entry != null) {
          listener.progress(entry, done, total);
        }
      }
      return done;
    } catch (IOException e) {
      synchronized (state) {
        state[1] = true;
        if (state[0]) {
          Thread.interrupted();
          throw new Retryable("stalled: no data for " + timeout + " ms after " + done + " of "
              + (expected >= 0 ? expected + " bytes" : "? bytes"), e);
        }
      }
      throw new Retryable("connection cut after " + done + " of "
          + (expected >= 0 ? expected + " bytes" : "? bytes") + " (" + e + ")", e);
    } finally {
      synchronized (state) {
        state[1] = true;
        if (state[0]) {
          Thread.interrupted();
        }
      }
      watchdog.cancel(false);
    }
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          HttpClient.Builder b = HttpClient.newBuilder()
              .connectTimeout(config.connectTimeout())
              .followRedirects(HttpClient.Redirect.NORMAL) // never from https to http
              .version(HttpClient.Version.HTTP_1_1);
          ProxySelector proxies = ProxySelector.getDefault(); // honours -Dhttps.proxyHost etc.
          if (proxies != null) {
            b.proxy(proxies);
          }
          c = b.build();
          client = c;
        }
      }
    }
    return c;
  }

  /** Returns a file's sha256 as lower-case hex. */
  /**
   * Removes the {@code .part} files a dead process left in a cache directory, unless a download
   * (in this JVM or another) holds the directory's lock now: then they may be its own.
   *
   * @param dir a model's cache directory
   */
  static void removeStaleParts(Path dir) {
    Path lock = dir.resolve(LOCK_FILE);
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock held = channel.tryLock();
      if (held == null) {
        return; // another JVM is downloading here
      }
      try {
        deleteParts(dir);
      } finally {
        held.release();
      }
    } catch (java.nio.channels.OverlappingFileLockException e) {
      log.debug("Not cleaning {}: a download in this JVM holds it", dir);
    } catch (IOException e) {
      log.warn("Could not clean the temporary files in the model cache {}: {}", dir, e.toString());
    }
  }

  private static void deleteParts(Path dir) throws IOException {
    try (var files = Files.newDirectoryStream(dir, ".*.part")) {
      for (Path part : files) {
        log.info("Removing {}, left by a download that did not finish", part);
        Files.deleteIfExists(part);
      }
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest d = newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required on every JVM", e);
    }
  }
}
