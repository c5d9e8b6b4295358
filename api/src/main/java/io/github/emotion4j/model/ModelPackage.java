package io.github.emotion4j.model;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A portable model: {@link ModelMetadata} plus the weight tensors, checked against each other.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ModelPackage pkg = ModelPackage.load(Path.of("fer2013-vgg-bn.zip"));   // or a folder
 * pkg.summary().flops();                                                  // FLOPs per image
 * pkg.save(Path.of("copy"));                                              // a folder, atomically
 * }</pre>
 *
 * @since 0.1
 */
public final class ModelPackage {
  /** The newest package format this library reads and the one it writes. */
  public static final int FORMAT_VERSION = 1;
  /** The metadata file inside a package. */
  public static final String METADATA_FILE = "emotion-model.json";
  /** The weights file inside a package. */
  public static final String WEIGHTS_FILE = "weights.safetensors";

  private static final long MAX_ENTRY_BYTES = 1L << 30;
  /** The largest emotion-model.json read: far above any real description, far below a bomb. */
  private static final long MAX_METADATA_BYTES = 16L << 20;

  private final ModelMetadata metadata;
  private final Map<String, Tensor> tensors;
  private final NetworkSummary summary;

  private ModelPackage(ModelMetadata metadata, Map<String, Tensor> tensors, String source) {
    this.metadata = metadata;
    this.tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
    this.summary = checkTensors(metadata, this.tensors, source);
  }

  /**
   * Builds a package from its parts, computing the weights' sha256.
   *
   * @param name the model's name
   * @param version the model's version
   * @param labels the output labels
   * @param input the input contract
   * @param layers the layer list
   * @param tensors the weights by their stable names ({@code layers.3.weight})
   * @param provenance where the weights came from
   * @return the package
   * @throws ModelPackageException if the tensors do not match the layer list
   */
  public static ModelPackage create(
      String name,
      String version,
      LabelSet labels,
      InputContract input,
      List<LayerSpec> layers,
      Map<String, Tensor> tensors,
      ModelProvenance provenance) {
    String sha = AtomicFiles.sha256(Safetensors.write(tensors, Map.of()));
    ModelMetadata m =
        new ModelMetadata(FORMAT_VERSION, name, version, labels, input, layers, sha, provenance);
    return new ModelPackage(m, tensors, "model \"" + name + "\"");
  }

  /**
   * Returns a copy with other provenance (the weights stay the same).
   *
   * @param provenance the new provenance
   * @return the copy
   */
  public ModelPackage withProvenance(ModelProvenance provenance) {
    ModelMetadata m = metadata;
    return new ModelPackage(
        new ModelMetadata(m.formatVersion(), m.name(), m.version(), m.labels(), m.input(),
            m.layers(), m.weightsSha256(), provenance),
        tensors, "model \"" + m.name() + "\"");
  }

  /**
   * Returns a copy with another name and version.
   *
   * @param name the new name
   * @param version the new version
   * @return the copy
   */
  public ModelPackage withName(String name, String version) {
    ModelMetadata m = metadata;
    return new ModelPackage(
        new ModelMetadata(m.formatVersion(), name, version, m.labels(), m.input(), m.layers(),
            m.weightsSha256(), m.provenance()),
        tensors, "model \"" + name + "\"");
  }

  /**
   * Loads a package from a folder or a {@code .zip} file, verifying the weights' sha256 and that the
   * tensors match the layer list.
   *
   * @param path a package folder or zip
   * @return the package
   * @throws ModelPackageException if the package is missing, malformed or inconsistent
   */
  public static ModelPackage load(Path path) {
    Objects.requireNonNull(path, "path");
    try {
      if (Files.isDirectory(path)) {
        Path json = path.resolve(METADATA_FILE);
        Path weights = path.resolve(WEIGHTS_FILE);
        for (Path p : List.of(json, weights)) {
          if (!Files.isRegularFile(p)) {
            throw new ModelPackageException(
                "Model package folder " + path + " has no " + p.getFileName());
          }
        }
        return fromBytes(Files.readAllBytes(json), Files.readAllBytes(weights), path.toString());
      }
      if (!Files.isRegularFile(path)) {
        throw new ModelPackageException(
            "No model package at " + path + ": expected a folder or a .zip holding " + METADATA_FILE
                + " and " + WEIGHTS_FILE);
      }
      return fromZipFile(path);
    } catch (IOException e) {
      throw new ModelPackageException("Could not read model package " + path + ": " + e, e);
    }
  }

  /**
   * Reads a zipped package from a stream (for example a class-path resource). Entries other than
   * the two package files are ignored; an entry whose name escapes the package folder is refused.
   *
   * @param zip the zip's bytes; not closed
   * @param source a name for error messages
   * @return the package
   * @throws ModelPackageException if the zip is malformed, unsafe or inconsistent
   * @throws IOException if reading fails
   */
  public static ModelPackage fromZip(InputStream zip, String source) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    ZipInputStream in = new ZipInputStream(zip);
    ZipEntry e;
    while ((e = in.getNextEntry()) != null) {
      String name = safeEntryName(e.getName(), source);
      if (!e.isDirectory() && (name.equals(METADATA_FILE) || name.equals(WEIGHTS_FILE))) {
        if (entries.containsKey(name)) {
          throw new ModelPackageException(
              "Model package " + source + " holds " + name + " twice (entry \"" + e.getName()
                  + "\"); a package zip holds one model, at the top or in one folder");
        }
        entries.put(name, readBounded(in, source + "!" + name, cap(name)));
      }
    }
    for (String required : List.of(METADATA_FILE, WEIGHTS_FILE)) {
      if (!entries.containsKey(required)) {
        throw new ModelPackageException(
            "Model package " + source + " has no " + required + " at the top of the zip");
      }
    }
    return fromBytes(entries.get(METADATA_FILE), entries.get(WEIGHTS_FILE), source);
  }

  /**
   * Checks a zip entry name: relative, no {@code ..} segment, no drive or root. Returns the name
   * with a single top folder stripped if the zip wraps the package in one.
   */
  static String safeEntryName(String name, String source) {
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || n.matches("^[A-Za-z]:.*") || Arrays.asList(n.split("/")).contains("..")) {
      throw new ModelPackageException(
          "Model package " + source + " holds the entry \"" + name
              + "\", which escapes the package folder; refusing to read it");
    }
    int slash = n.indexOf('/');
    return slash >= 0 && slash < n.length() - 1 && n.indexOf('/', slash + 1) < 0
        ? n.substring(slash + 1)
        : n;
  }

  /**
   * Reads a zip file through its central directory: entries the format does not name are never
   * inflated, and the two it names are refused when their declared size passes their cap.
   */
  private static ModelPackage fromZipFile(Path path) throws IOException {
    String source = path.toString();
    Map<String, ZipEntry> found = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(path.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        String name = safeEntryName(e.getName(), source);
        if (e.isDirectory() || !(name.equals(METADATA_FILE) || name.equals(WEIGHTS_FILE))) {
          continue;
        }
        if (found.containsKey(name)) {
          throw new ModelPackageException(
              "Model package " + source + " holds " + name + " twice (entry \"" + e.getName()
                  + "\"); a package zip holds one model, at the top or in one folder");
        }
        if (e.getSize() > cap(name)) {
          throw new ModelPackageException(source + "!" + name + " is " + e.getSize()
              + " bytes uncompressed, more than the limit of " + cap(name));
        }
        found.put(name, e);
      }
      Map<String, byte[]> entries = new LinkedHashMap<>();
      for (String required : List.of(METADATA_FILE, WEIGHTS_FILE)) {
        ZipEntry e = found.get(required);
        if (e == null) {
          throw new ModelPackageException(
              "Model package " + source + " has no " + required + " at the top of the zip");
        }
        try (InputStream in = zip.getInputStream(e)) {
          entries.put(required, readBounded(in, source + "!" + required, cap(required)));
        }
      }
      return fromBytes(entries.get(METADATA_FILE), entries.get(WEIGHTS_FILE), source);
    }
  }

  private static long cap(String name) {
    return name.equals(METADATA_FILE) ? MAX_METADATA_BYTES : MAX_ENTRY_BYTES;
  }

  private static byte[] readBounded(InputStream in, String source, long cap) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > cap) {
        throw new ModelPackageException(source + " is larger than the limit of " + cap + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static ModelPackage fromBytes(byte[] json, byte[] weights, String source) {
    ModelMetadata m = ModelJson.read(new String(json, StandardCharsets.UTF_8), source + "/" + METADATA_FILE);
    String actual = AtomicFiles.sha256(weights);
    if (!actual.equalsIgnoreCase(m.weightsSha256())) {
      throw new ModelPackageException(
          "Model package " + source + ": " + WEIGHTS_FILE + " has sha256 " + actual + " but "
              + METADATA_FILE + " expects " + m.weightsSha256()
              + ". The weights are corrupted or were replaced; download or copy the package again.");
    }
    return new ModelPackage(m, Safetensors.read(weights, source + "/" + WEIGHTS_FILE), source);
  }

  private static NetworkSummary checkTensors(
      ModelMetadata m, Map<String, Tensor> tensors, String source) {
    NetworkSummary summary;
    try {
      summary = NetworkSummary.of(m.input(), m.layers(), m.labels().size());
    } catch (ModelPackageException e) {
      throw new ModelPackageException("Model package " + source + ": " + e.getMessage(), e);
    }
    for (Map.Entry<String, int[]> expected : summary.tensorShapes().entrySet()) {
      Tensor t = tensors.get(expected.getKey());
      if (t == null) {
        throw new ModelPackageException(
            "Model package " + source + ": the layer list needs tensor \"" + expected.getKey()
                + "\" " + Arrays.toString(expected.getValue()) + ", which the weights lack");
      }
      if (!t.hasShape(expected.getValue())) {
        throw new ModelPackageException(
            "Model package " + source + ": tensor \"" + expected.getKey() + "\" has shape "
                + Arrays.toString(t.shape()) + " but the layer list needs "
                + Arrays.toString(expected.getValue()));
      }
    }
    for (String name : tensors.keySet()) {
      if (!summary.tensorShapes().containsKey(name)) {
        throw new ModelPackageException(
            "Model package " + source + ": tensor \"" + name + "\" belongs to no layer of the list");
      }
    }
    return summary;
  }

  /**
   * Writes the package to a folder, or to a zip if {@code target} ends in {@code .zip}. The package
   * appears whole or not at all: it is written beside the target and moved into place. A zip
   * replaces an old one with one atomic rename; a folder replaces an old folder with two renames
   * (old aside, new in), and the old one is put back if the second fails.
   *
   * @param target the folder or zip to create or replace
   * @throws IOException if writing fails; an existing target is then unchanged
   */
  public void save(Path target) throws IOException {
    byte[] weights = weightsBytes();
    ModelMetadata m = metadata;
    String sha = AtomicFiles.sha256(weights);
    if (!sha.equals(m.weightsSha256())) { // read from another writer's file: record our bytes' hash
      m = new ModelMetadata(m.formatVersion(), m.name(), m.version(), m.labels(), m.input(),
          m.layers(), sha, m.provenance());
    }
    byte[] json = ModelJson.write(m).getBytes(StandardCharsets.UTF_8);
    if (target.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        zip.putNextEntry(new ZipEntry(METADATA_FILE));
        zip.write(json);
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(WEIGHTS_FILE));
        zip.write(weights);
        zip.closeEntry();
      }
      AtomicFiles.write(target, bytes.toByteArray());
      return;
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
    try {
      Files.write(tmp.resolve(WEIGHTS_FILE), weights);
      Files.write(tmp.resolve(METADATA_FILE), json);
      AtomicFiles.readableByAll(tmp);
      if (Files.isDirectory(target)) {
        Path old = parent.resolve("." + target.getFileName() + ".old-" + System.nanoTime());
        AtomicFiles.move(target, old);
        try {
          AtomicFiles.move(tmp, target);
        } catch (IOException | RuntimeException e) {
          AtomicFiles.move(old, target); // put the old package back
          throw e;
        }
        AtomicFiles.deleteTree(old);
      } else {
        AtomicFiles.move(tmp, target);
      }
    } finally {
      AtomicFiles.deleteTree(tmp);
    }
  }

  /**
   * Returns the serialised weights, exactly as stored in {@value #WEIGHTS_FILE}.
   *
   * @return the safetensors bytes
   */
  public byte[] weightsBytes() {
    return Safetensors.write(tensors, Map.of());
  }

  /**
   * Returns the metadata.
   *
   * @return everything but the weights
   */
  public ModelMetadata metadata() {
    return metadata;
  }

  /**
   * Returns the weight tensors by name, sorted.
   *
   * @return an unmodifiable map
   */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  /**
   * Returns one weight tensor.
   *
   * @param name e.g. {@code layers.3.weight}
   * @return the tensor
   * @throws ModelPackageException if there is none of that name
   */
  public Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new ModelPackageException("Model \"" + metadata.name() + "\" has no tensor \"" + name + "\"");
    }
    return t;
  }

  /**
   * Returns the layer shapes, parameter count and FLOPs per image.
   *
   * @return the summary
   */
  public NetworkSummary summary() {
    return summary;
  }

  /**
   * Shortcut for {@code metadata().labels()}.
   *
   * @return the output labels
   */
  public LabelSet labels() {
    return metadata.labels();
  }

  /**
   * Shortcut for {@code metadata().input()}.
   *
   * @return the input contract
   */
  public InputContract input() {
    return metadata.input();
  }

  /**
   * Shortcut for {@code metadata().layers()}.
   *
   * @return the layer list
   */
  public List<LayerSpec> layers() {
    return metadata.layers();
  }

  @Override
  public String toString() {
    return metadata.name() + " " + metadata.version() + " (" + metadata.labels().size() + " labels, "
        + summary.parameters() + " parameters, sha256 " + metadata.weightsSha256().substring(0, 12) + ")";
  }
}
