package io.github.emotion4j.zoo;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.model.ModelMetadata;
import io.github.emotion4j.model.ModelPackage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.SoftReference;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, downloads, verifies and caches emotion4j model packages by name, without any engine.
 *
 * <pre>{@code
 * ModelZoo zoo = ModelZoo.fromEnvironment();                 // system properties, env, defaults
 * ModelPackage pkg = zoo.load("fer2013-vgg-bn");            // newest version found first
 * ModelPackage pinned = zoo.load("fer2013-vgg-bn:1.0.0");   // an exact version
 * zoo.listModels().forEach(e -> System.out.println(e.spec() + " " + e.source()));
 * }</pre>
 *
 * <p>A model is asked for as {@code name} or {@code name:version}. The zoo looks in this order and
 * takes the first repository that has the name (and version, if given); within it, the highest
 * version:
 *
 * <ol>
 *   <li>{@link ModelSource#BUNDLED}: every {@value #BUNDLED_PREFIX}{@value #INDEX_FILE} on the
 *       class path, and a bundled {@code <name>.zip} beside them; always offline;
 *   <li>{@link ModelSource#LOCAL_DIRECTORY}: {@link ZooConfig#localDirectory()}, an {@value
 *       #INDEX_FILE} and package zips, or just zips;
 *   <li>{@link ModelSource#CACHE}: models downloaded before, in {@link ZooConfig#cacheDirectory()};
 *   <li>{@link ModelSource#REMOTE}: {@link ZooConfig#url()}'s {@value #INDEX_FILE}, unless {@link
 *       ZooConfig#offline()}; the package is downloaded into the cache first.
 * </ol>
 *
 * <p>Every file's sha256 is checked against its index entry before the package is read, and the
 * weights against the package's own sha256. Downloads go to a temporary file in the cache and are
 * moved into place only once complete and verified, under an in-JVM lock and a file lock, so that
 * two threads or two JVMs end with one good copy; a failed download leaves the cache as it was and
 * throws {@link ZooException}. A name nobody has throws {@link ModelNotFoundException} listing the
 * models that exist.
 *
 * <p>Thread-safe. A zoo holds no open resources; the mirror's index is read at most once per zoo.
 *
 * @since 0.1
 */
public final class ModelZoo {
  /** The index file of every repository. */
  public static final String INDEX_FILE = "index.json";
  /** Where bundled models and their index live on the class path. */
  public static final String BUNDLED_PREFIX = "io/github/emotion4j/models/";
  /** The file beside each cached model that records its index entry. */
  static final String CACHE_ENTRY_FILE = "entry.json";

  private static final Logger log = LoggerFactory.getLogger(ModelZoo.class);
  /** Per file: modification time, size and the sha256 computed then, so a file is hashed once. */
  private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();

  /** Packages read already, by the sha256 of their zip: the same bytes give the same package. */
  private static final Map<String, SoftReference<ModelPackage>> LOADED = new ConcurrentHashMap<>();

  private final ZooConfig config;
  private final ClassLoader classLoader;
  private final Downloader downloader;
  private List<ZooEntry> remoteEntries; // guarded by this

  private ModelZoo(ZooConfig config, ClassLoader classLoader, DownloadListener listener) {
    this.config = config;
    this.classLoader = classLoader;
    this.downloader = new Downloader(config, listener);
  }

  /**
   * Returns a zoo configured from system properties, environment variables and defaults (see
   * {@link ZooConfig}).
   *
   * @return the zoo
   * @throws IllegalArgumentException if a setting cannot be parsed
   */
  public static ModelZoo fromEnvironment() {
    return builder().build();
  }

  /**
   * Starts a zoo from the settings {@link #fromEnvironment()} would use; the builder's methods
   * override them.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder(ZooConfig.fromEnvironment());
  }

  /**
   * Returns the settings.
   *
   * @return the configuration
   */
  public ZooConfig config() {
    return config;
  }

  /**
   * Lists every model the zoo can provide, in resolution order, each once (the first repository
   * that has a {@code name:version} wins, so a downloaded model shows as {@link
   * ModelSource#CACHE}). Asks the mirror for its index unless the zoo is offline; if the mirror
   * cannot be reached its models are left out and a warning is logged.
   *
   * @return the entries, unmodifiable
   */
  public List<ZooEntry> listModels() {
    List<ZooEntry> all = new ArrayList<>(localEntries());
    if (config.url() != null && !config.offline()) {
      try {
        all.addAll(remote());
      } catch (ZooException e) {
        log.warn("Listing models without the mirror: {}", e.getMessage());
      }
    }
    return dedupe(all);
  }

  /**
   * Finds the entry {@link #load(String)} would use, without downloading it (the mirror's index may
   * be read).
   *
   * @param spec {@code name} or {@code name:version}
   * @return the entry, or empty if no repository has it
   * @throws ZooException if the mirror's index cannot be read
   */
  public Optional<ZooEntry> find(String spec) {
    try {
      return Optional.of(locate(Spec.parse(spec)));
    } catch (ModelNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Returns a model package, downloading it into the cache first if only the mirror has it.
   *
   * @param spec {@code name} or {@code name:version}, e.g. {@code fer2013-vgg-bn:1.0.0}
   * @return the verified package
   * @throws ModelNotFoundException if no repository has it, naming where the zoo looked and what
   *     exists
   * @throws ZooException if it could not be downloaded or does not match its sha256
   * @throws IllegalArgumentException if the spec is malformed
   */
  public ModelPackage load(String spec) {
    return load(locate(Spec.parse(spec)));
  }

  /**
   * Makes sure a model is available without the network, downloading it into the cache if only
   * the mirror has it (e.g. for a {@code models pull} command).
   *
   * @param spec {@code name} or {@code name:version}
   * @return the local entry: bundled, from the local directory or from the cache
   * @throws ModelNotFoundException if no repository has it
   * @throws ZooException if it could not be downloaded
   */
  public ZooEntry fetch(String spec) {
    ZooEntry e = locate(Spec.parse(spec));
    if (e.source() == ModelSource.REMOTE) {
      return download(e);
    }
    String problem = e.source() == ModelSource.BUNDLED ? null : verify(e);
    if (problem == null) {
      return e;
    }
    if (e.source() == ModelSource.CACHE && config.url() != null && !config.offline()) {
      for (ZooEntry r : remote()) {
        if (r.name().equals(e.name()) && r.version().equals(e.version())) {
          log.warn("The cached model {} at {} {}; downloading it again", e.spec(), e.location(), problem);
          return download(r);
        }
      }
    }
    throw new ZooException("Model \"" + e.spec() + "\" at " + e.location() + " " + problem
        + ": the file was damaged or replaced. Restore it, or delete it" + (e.source() == ModelSource.CACHE
            ? " and its folder to download it again" : " and update the index")
        + ". See docs/ZOO.md#errors", e.location(), problem.startsWith("has sha256") ? "sha256 mismatch"
            : "size mismatch", null);
  }

  /** Checks a local or cached file's size and sha256 against its entry; null when they match. */
  private static String verify(ZooEntry e) {
    Path file = Path.of(e.location());
    try {
      long size = Files.size(file);
      if (e.sizeBytes() >= 0 && size != e.sizeBytes()) {
        return "has " + size + " bytes but its index entry says " + e.sizeBytes();
      }
      if (e.sha256().isEmpty()) {
        return null;
      }
      String stamp = Files.getLastModifiedTime(file).toMillis() + ":" + size + ":";
      String known = VERIFIED.get(file.toAbsolutePath());
      String actual = known != null && known.startsWith(stamp) ? known.substring(stamp.length())
          : Downloader.sha256(file);
      VERIFIED.put(file.toAbsolutePath(), stamp + actual);
      return actual.equals(e.sha256()) ? null
          : "has sha256 " + actual + " but its index entry says " + e.sha256();
    } catch (IOException ex) {
      throw new ZooException("Could not read model \"" + e.spec() + "\" at " + e.location() + ": " + ex
          + ". Check the file, or delete it to fetch it again", e.location(), "unreadable", ex);
    }
  }

  /**
   * Returns the package of an entry from {@link #listModels()}, downloading it first if it is
   * {@link ModelSource#REMOTE}.
   *
   * @param entry the entry
   * @return the verified package
   * @throws ZooException if the file is missing, differs from its sha256 or cannot be downloaded
   */
  public ModelPackage load(ZooEntry entry) {
    Objects.requireNonNull(entry, "entry");
    switch (entry.source()) {
      case REMOTE:
        return read(download(entry));
      case CACHE:
        try {
          return read(entry);
        } catch (ZooException e) {
          Optional<ZooEntry> again = remoteCopy(entry);
          if (again.isEmpty()) {
            throw e;
          }
          log.warn("The cached copy of model {} is damaged ({}); downloading it again", entry.spec(),
              e.reason());
          return read(download(again.get()));
        }
      default:
        return read(entry);
    }
  }

  /**
   * Writes an {@value #INDEX_FILE} for the package zips in a directory, so that it can serve as a
   * {@linkplain ZooConfig#localDirectory() local directory} or be published as a mirror. Each zip
   * is read and verified; architecture and accuracy come from its provenance. Replaces an existing
   * index atomically.
   *
   * @param directory a directory holding {@code *.zip} model packages
   * @return the entries written, by file name
   * @throws IOException if the directory cannot be read or the index written
   * @throws io.github.emotion4j.ModelPackageException if a zip is not a valid package
   */
  public static List<ZooEntry> writeIndex(Path directory) throws IOException {
    List<ZooIndex.Row> rows = new ArrayList<>();
    for (Path zip : zips(directory)) {
      byte[] bytes = Files.readAllBytes(zip);
      ModelPackage pkg = ModelPackage.fromZip(new ByteArrayInputStream(bytes), zip.toString());
      rows.add(new ZooIndex.Row(ZooIndex.describe(pkg.metadata(), bytes.length,
          AtomicFiles.sha256(bytes), ModelSource.LOCAL_DIRECTORY, zip.toString()),
          zip.getFileName().toString()));
    }
    AtomicFiles.write(directory.resolve(INDEX_FILE),
        ZooIndex.write(rows).getBytes(StandardCharsets.UTF_8));
    return rows.stream().map(ZooIndex.Row::entry).toList();
  }

  // ---------------------------------------------------------------- resolution

  /** A parsed {@code name[:version]}. */
  record Spec(String name, String version) {
    static Spec parse(String spec) {
      Objects.requireNonNull(spec, "spec");
      String s = spec.trim();
      int colon = s.indexOf(':');
      String name = colon < 0 ? s : s.substring(0, colon);
      String version = colon < 0 ? null : s.substring(colon + 1);
      if (!name.matches(ZooEntry.ID_PATTERN) || (version != null && !version.matches(ZooEntry.ID_PATTERN))) {
        throw new IllegalArgumentException("A model is named \"name\" or \"name:version\" (letters,"
            + " digits, '.', '_', '-'), got \"" + spec + "\"");
      }
      return new Spec(name, version);
    }

    boolean matches(ZooEntry e) {
      return e.name().equalsIgnoreCase(name) && (version == null || e.version().equals(version));
    }

    @Override
    public String toString() {
      return version == null ? name : name + ":" + version;
    }
  }

  private ZooEntry locate(Spec spec) {
    Optional<ZooEntry> hit = best(bundled(), spec);
    if (hit.isEmpty()) {
      hit = legacyBundled(spec);
    }
    if (hit.isEmpty()) {
      hit = best(local(), spec);
    }
    if (hit.isEmpty()) {
      hit = best(cache(), spec);
    }
    if (hit.isPresent()) {
      log.debug("Model {} resolved to {} at {}", spec, hit.get().source(), hit.get().location());
      return hit.get();
    }
    List<ZooEntry> known = localEntries();
    if (config.url() == null) {
      throw notFound(spec, known, "unknown model", "Check the name (\"name\" or \"name:version\"),"
          + " pass a package with model(Path), or set a mirror with -D" + ZooConfig.URL_PROPERTY
          + "=https://... (" + ZooConfig.envName(ZooConfig.URL_PROPERTY) + ").");
    }
    if (config.offline()) {
      throw notFound(spec, known, "offline", "Offline mode is on (" + ZooConfig.OFFLINE_PROPERTY
          + " or " + ZooConfig.DJL_OFFLINE_PROPERTY + "), so the mirror " + config.url()
          + " was not asked for model \"" + spec + "\". Run once online to fill the cache "
          + config.cacheDirectory() + ", or copy the model's zip into a local directory ("
          + ZooConfig.DIR_PROPERTY + ").");
    }
    List<ZooEntry> remote = remote();
    hit = best(remote, spec);
    if (hit.isPresent()) {
      log.debug("Model {} resolved to the mirror at {}", spec, hit.get().location());
      return hit.get();
    }
    List<ZooEntry> all = new ArrayList<>(known);
    all.addAll(remote);
    throw notFound(spec, all, "unknown model", "Check the name (\"name\" or \"name:version\").");
  }

  private ModelNotFoundException notFound(Spec spec, List<ZooEntry> known, String reason, String fix) {
    List<String> where = new ArrayList<>();
    where.add("the class path (" + BUNDLED_PREFIX + INDEX_FILE + ")");
    if (config.localDirectory() != null) {
      where.add("the local directory " + config.localDirectory());
    }
    where.add("the cache " + config.cacheDirectory());
    if (config.url() != null && !config.offline()) {
      where.add("the mirror " + config.url());
    }
    List<ZooEntry> exist = dedupe(known);
    String list = exist.isEmpty() ? "none"
        : exist.stream().map(e -> e.spec() + " (" + e.source().name().toLowerCase(Locale.ROOT) + ")")
            .collect(Collectors.joining(", "));
    return new ModelNotFoundException("No model \"" + spec + "\" in the emotion4j model zoo. Looked"
        + " in " + String.join(", ", where) + ". Models that exist: " + list + ". " + fix
        + " See docs/ZOO.md#model-not-found", reason,
        exist.stream().map(ZooEntry::spec).toList());
  }

  private Optional<ZooEntry> remoteCopy(ZooEntry cached) {
    if (config.url() == null || config.offline()) {
      return Optional.empty();
    }
    try {
      return best(remote(), new Spec(cached.name(), cached.version()));
    } catch (ZooException e) {
      log.debug("Cannot re-download {}: {}", cached.spec(), e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<ZooEntry> best(List<ZooEntry> entries, Spec spec) {
    ZooEntry best = null;
    for (ZooEntry e : entries) {
      if (spec.matches(e) && (best == null || compareVersions(e.version(), best.version()) > 0)) {
        best = e;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Orders versions as the zoo does when no version is asked for: parts separated by {@code .},
   * {@code -}, {@code +} or {@code _}, numbers compared numerically and ranked above words, a
   * longer version above its prefix ({@code 1.10.0 > 1.2.0 > 1.2}).
   *
   * @param a a version
   * @param b another version
   * @return negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}
   */
  public static int compareVersions(String a, String b) {
    String[] x = a.split("[.+_-]");
    String[] y = b.split("[.+_-]");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      if (i >= x.length) {
        return -1;
      }
      if (i >= y.length) {
        return 1;
      }
      boolean nx = x[i].matches("\\d{1,18}");
      boolean ny = y[i].matches("\\d{1,18}");
      int c = nx && ny ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]))
          : nx ? 1 : ny ? -1 : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static List<ZooEntry> dedupe(List<ZooEntry> entries) {
    Map<String, ZooEntry> seen = new LinkedHashMap<>();
    for (ZooEntry e : entries) {
      seen.putIfAbsent(e.name().toLowerCase(Locale.ROOT) + ":" + e.version(), e);
    }
    return List.copyOf(seen.values());
  }

  // ---------------------------------------------------------------- repositories

  private List<ZooEntry> localEntries() {
    List<ZooEntry> all = new ArrayList<>(bundled());
    all.addAll(local());
    all.addAll(cache());
    return all;
  }

  /** Every bundled index on the class path. */
  private List<ZooEntry> bundled() {
    List<ZooEntry> out = new ArrayList<>();
    Enumeration<URL> indexes;
    try {
      indexes = classLoader.getResources(BUNDLED_PREFIX + INDEX_FILE);
    } catch (IOException e) {
      log.warn("Could not list the bundled model indexes {}: {}", BUNDLED_PREFIX + INDEX_FILE, e.toString());
      return out;
    }
    Set<String> seen = new HashSet<>();
    for (URL index : Collections.list(indexes)) {
      if (!seen.add(index.toString())) {
        continue;
      }
      try (InputStream in = index.openStream()) {
        String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        for (ZooIndex.Row row : ZooIndex.parse(json, ModelSource.BUNDLED, index.toString())) {
          out.add(row.entry().at(ModelSource.BUNDLED, new URL(index, row.file()).toString()));
        }
      } catch (IOException | IllegalArgumentException e) {
        log.warn("Ignoring the bundled model index {}: {}", index, e.getMessage());
      }
    }
    return out;
  }

  /** A zip bundled as {@code <name>.zip} without an index entry (how the first releases bundled). */
  private Optional<ZooEntry> legacyBundled(Spec spec) {
    URL url = classLoader.getResource(BUNDLED_PREFIX + spec.name() + ".zip");
    if (url == null) {
      return Optional.empty();
    }
    try (InputStream in = url.openStream()) {
      byte[] bytes = in.readAllBytes();
      ModelMetadata m = parse(bytes, url.toString()).metadata();
      ZooEntry e = ZooIndex.describe(m, bytes.length, "", ModelSource.BUNDLED, url.toString());
      e = new ZooEntry(spec.name(), e.version(), e.labelSet(), e.labels(), e.architecture(),
          e.sizeBytes(), "", e.accuracy(), ModelSource.BUNDLED, e.location());
      return spec.matches(e) ? Optional.of(e) : Optional.empty();
    } catch (IOException e) {
      throw new ZooException("Could not read the bundled model " + url + ": " + e, url.toString(),
          "unreadable", e);
    }
  }

  /** The local directory: its index and any zip the index does not list. */
  private List<ZooEntry> local() {
    Path dir = config.localDirectory();
    List<ZooEntry> out = new ArrayList<>();
    if (dir == null) {
      return out;
    }
    if (!Files.isDirectory(dir)) {
      log.warn("The local model directory {} ({}) does not exist; ignoring it", dir,
          ZooConfig.DIR_PROPERTY);
      return out;
    }
    Set<Path> indexed = new HashSet<>();
    Path index = dir.resolve(INDEX_FILE);
    if (Files.isRegularFile(index)) {
      try {
        String json = Files.readString(index);
        for (ZooIndex.Row row : ZooIndex.parse(json, ModelSource.LOCAL_DIRECTORY, index.toString())) {
          Path file = dir.resolve(row.file()).normalize();
          indexed.add(file.toAbsolutePath());
          out.add(row.entry().at(ModelSource.LOCAL_DIRECTORY, file.toString()));
        }
      } catch (IOException | IllegalArgumentException e) {
        log.warn("Ignoring the model index {}: {}", index, e.getMessage());
      }
    }
    try {
      for (Path zip : zips(dir)) {
        if (indexed.contains(zip.toAbsolutePath().normalize())) {
          continue;
        }
        try {
          byte[] bytes = Files.readAllBytes(zip);
          ModelPackage pkg = parse(bytes, zip.toString());
          out.add(ZooIndex.describe(pkg.metadata(), bytes.length, AtomicFiles.sha256(bytes),
              ModelSource.LOCAL_DIRECTORY, zip.toString()));
        } catch (IOException | ModelPackageException e) {
          log.warn("Ignoring {} in the local model directory: {}", zip, e.getMessage());
        }
      }
    } catch (IOException e) {
      log.warn("Could not list the local model directory {}: {}", dir, e.toString());
    }
    return out;
  }

  /** Models downloaded before: {@code <cache>/<name>/<version>/entry.json} beside the zip. */
  private List<ZooEntry> cache() {
    Path root = config.cacheDirectory();
    List<ZooEntry> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> parts = Files.find(root, 3,
        (p, a) -> a.isRegularFile() && p.getFileName().toString().endsWith(".part"))) {
      parts.map(Path::getParent).distinct().toList().forEach(Downloader::removeStaleParts);
    } catch (IOException e) {
      log.warn("Could not list the model cache {}: {}", root, e.toString());
    }
    try (Stream<Path> entries = Files.find(root, 3,
        (p, a) -> a.isRegularFile() && p.getFileName().toString().equals(CACHE_ENTRY_FILE))) {
      for (Path entryFile : entries.sorted().toList()) {
        try {
          JsonObject o = JsonParser.parseString(Files.readString(entryFile)).getAsJsonObject();
          ZooIndex.Row row = ZooIndex.row(o, ModelSource.CACHE);
          Path zip = entryFile.resolveSibling(row.file());
          if (Files.isRegularFile(zip)) {
            out.add(row.entry().at(ModelSource.CACHE, zip.toString()));
          }
        } catch (IOException | RuntimeException e) {
          log.warn("Ignoring the damaged cache entry {}: {}", entryFile, e.getMessage());
        }
      }
    } catch (IOException e) {
      log.warn("Could not list the model cache {}: {}", root, e.toString());
    }
    return out;
  }

  /** The mirror's index, read once per zoo. */
  private synchronized List<ZooEntry> remote() {
    if (remoteEntries != null) {
      return remoteEntries;
    }
    URI base = config.url();
    URI indexUri = base.resolve(INDEX_FILE);
    byte[] bytes = downloader.fetchSmall(indexUri, "the model index");
    List<ZooEntry> out = new ArrayList<>();
    try {
      for (ZooIndex.Row row : ZooIndex.parse(new String(bytes, StandardCharsets.UTF_8),
          ModelSource.REMOTE, indexUri.toString())) {
        out.add(row.entry().at(ModelSource.REMOTE, base.resolve(row.file()).toString()));
      }
    } catch (IllegalArgumentException e) {
      throw new ZooException("The mirror's index " + indexUri + " is invalid: " + e.getMessage()
          + ". Fix the mirror's index.json (see docs/ZOO.md#index)", indexUri.toString(),
          "invalid index", e);
    }
    remoteEntries = List.copyOf(out);
    return remoteEntries;
  }

  private static List<Path> zips(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip"))
          .filter(Files::isRegularFile)
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    }
  }

  // ---------------------------------------------------------------- reading and downloading

  /** Downloads a remote entry into the cache (or finds it there) and returns the cache entry. */
  private ZooEntry download(ZooEntry remote) {
    if (config.offline()) {
      throw new ModelNotFoundException("Model \"" + remote.spec() + "\" is only on the mirror "
          + config.url() + ", and offline mode is on (" + ZooConfig.OFFLINE_PROPERTY + "). Run once"
          + " online, or copy its zip into a local directory. See docs/ZOO.md#offline", "offline",
          List.of());
    }
    if (remote.sha256().isEmpty()) {
      throw new ZooException("The mirror's index lists model \"" + remote.spec() + "\" without a"
          + " sha256; refusing to download an unverifiable file. Add its sha256 to index.json",
          remote.location(), "no sha256", null);
    }
    Path dir = config.cacheDirectory().resolve(remote.name()).resolve(remote.version());
    String file = remote.name() + "-" + remote.version() + ".zip";
    Path target = downloader.download(remote, URI.create(remote.location()), dir.resolve(file));
    try {
      AtomicFiles.write(dir.resolve(CACHE_ENTRY_FILE), ZooIndex.write(
          ZooIndex.toJson(remote, file, remote.location())).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ZooException("Could not record model \"" + remote.spec() + "\" in the cache " + dir
          + ": " + e, dir.toString(), "cache not writable", e);
    }
    return remote.at(ModelSource.CACHE, target.toString());
  }

  /** Reads a local, cached or bundled entry, checking its sha256 first. */
  private ModelPackage read(ZooEntry e) {
    byte[] bytes;
    try {
      if (e.source() == ModelSource.BUNDLED) {
        try (InputStream in = new URL(e.location()).openStream()) {
          bytes = in.readAllBytes();
        }
      } else {
        bytes = Files.readAllBytes(Path.of(e.location()));
      }
    } catch (IOException ex) {
      throw new ZooException("Could not read model \"" + e.spec() + "\" at " + e.location() + ": " + ex
          + (e.source() == ModelSource.BUNDLED ? "" : ". Check the file, or delete it to fetch it again"),
          e.location(), "unreadable", ex);
    }
    if (!e.sha256().isEmpty()) {
      String actual = AtomicFiles.sha256(bytes);
      if (!actual.equals(e.sha256())) {
        throw new ZooException("Model \"" + e.spec() + "\" at " + e.location() + " has sha256 " + actual
            + " but its index entry says " + e.sha256() + ": the file was damaged or replaced."
            + " Restore it, or delete it" + (e.source() == ModelSource.CACHE
                ? " and its folder to download it again" : " and update the index")
            + ". See docs/ZOO.md#errors", e.location(), "sha256 mismatch", null);
      }
    }
    return parse(bytes, e.location());
  }

  private static ModelPackage parse(byte[] bytes, String source) {
    String sha = AtomicFiles.sha256(bytes);
    SoftReference<ModelPackage> ref = LOADED.get(sha);
    ModelPackage pkg = ref == null ? null : ref.get();
    if (pkg != null) {
      return pkg;
    }
    try {
      pkg = ModelPackage.fromZip(new ByteArrayInputStream(bytes), source);
    } catch (IOException e) {
      throw new ModelPackageException("Could not read model package " + source + ": " + e, e);
    }
    LOADED.put(sha, new SoftReference<>(pkg));
    return pkg;
  }

  // ---------------------------------------------------------------- builder

  /**
   * Configures a {@link ModelZoo}; starts from {@link ZooConfig#fromEnvironment()}. Not
   * thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private URI url;
    private Path localDirectory;
    private Path cacheDirectory;
    private boolean offline;
    private boolean allowHttp;
    private Duration connectTimeout;
    private Duration readTimeout;
    private int attempts;
    private Duration retryBackoff;
    private ClassLoader classLoader = ModelZoo.class.getClassLoader();
    private DownloadListener listener = DownloadListener.NONE;

    private Builder(ZooConfig c) {
      config(c);
    }

    /**
     * Replaces every setting with those of a configuration.
     *
     * @param c the settings
     * @return this builder
     */
    public Builder config(ZooConfig c) {
      url = c.url();
      localDirectory = c.localDirectory();
      cacheDirectory = c.cacheDirectory();
      offline = c.offline();
      allowHttp = c.allowHttp();
      connectTimeout = c.connectTimeout();
      readTimeout = c.readTimeout();
      attempts = c.attempts();
      retryBackoff = c.retryBackoff();
      return this;
    }

    /**
     * Sets the mirror's base URL, which serves {@code index.json} and the zips it lists.
     *
     * @param baseUrl e.g. {@code https://models.example.com/emotion4j/}; null for no mirror
     * @return this builder
     */
    public Builder url(String baseUrl) {
      this.url = baseUrl == null ? null : URI.create(baseUrl);
      return this;
    }

    /**
     * Sets a local directory of package zips, with or without an {@code index.json}.
     *
     * @param directory the directory; null for none
     * @return this builder
     */
    public Builder localDirectory(Path directory) {
      this.localDirectory = directory;
      return this;
    }

    /**
     * Sets the download cache.
     *
     * @param directory the directory, created when first needed
     * @return this builder
     */
    public Builder cacheDirectory(Path directory) {
      this.cacheDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Turns offline mode on or off: offline, the zoo never uses the network.
     *
     * @param on true for offline
     * @return this builder
     */
    public Builder offline(boolean on) {
      this.offline = on;
      return this;
    }

    /**
     * Accepts a plain {@code http://} mirror (refused by default: the model could be replaced in
     * transit, though its sha256 is still checked against the index, which came the same way).
     *
     * @param allow true to accept http
     * @return this builder
     */
    public Builder allowHttp(boolean allow) {
      this.allowHttp = allow;
      return this;
    }

    /**
     * Sets how long to wait for a connection. Default 10 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sets how long to wait for a response, and the longest pause while receiving one. Default 30 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sets how many times a download is tried (timeouts, cut connections, HTTP 5xx are retried;
     * HTTP 4xx and sha256 mismatches are not). Default 3.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder attempts(int n) {
      this.attempts = n;
      return this;
    }

    /**
     * Sets the pause before the second attempt, doubled before each further one. Default 500 ms.
     *
     * @param backoff not negative
     * @return this builder
     */
    public Builder retryBackoff(Duration backoff) {
      this.retryBackoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Sets the listener that hears download progress. Default: none.
     *
     * @param progress the listener
     * @return this builder
     */
    public Builder progress(DownloadListener progress) {
      this.listener = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * Sets the class loader whose resources hold the bundled models. Default: the one that loaded
     * emotion4j.
     *
     * @param loader the class loader
     * @return this builder
     */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Builds the zoo. Touches neither the disk nor the network.
     *
     * @return the zoo
     * @throws IllegalArgumentException if a setting is out of range
     */
    public ModelZoo build() {
      return new ModelZoo(new ZooConfig(url, localDirectory, cacheDirectory, offline, allowHttp,
          connectTimeout, readTimeout, attempts, retryBackoff), classLoader, listener);
    }
  }
}
