package io.github.emotion4j.backend.pytorch;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Progress;
import io.github.emotion4j.Emotion4jException;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.zoo.DownloadListener;
import io.github.emotion4j.zoo.ModelSource;
import io.github.emotion4j.zoo.ModelZoo;
import io.github.emotion4j.zoo.ZooEntry;
import io.github.emotion4j.zoo.ZooException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one emotion4j model (all its versions) for DJL's {@code Criteria}. Filters: {@value
 * #VERSION}, {@value #LABELS} (a label-set name such as {@code fer2013}, or the labels comma
 * separated in order), {@value #ARCHITECTURE}. Without a version filter the highest matching
 * version is used.
 */
final class EmotionModelLoader implements ModelLoader {
  static final String VERSION = "version";
  static final String LABELS = "labels";
  static final String ARCHITECTURE = "architecture";
  private static final Set<String> FILTERS = Set.of(VERSION, LABELS, ARCHITECTURE);

  private static final Logger log = LoggerFactory.getLogger(EmotionModelLoader.class);

  private final String name;

  EmotionModelLoader(String name) {
    this.name = name;
  }

  @Override
  public String getGroupId() {
    return EmotionDjlZoo.GROUP_ID;
  }

  @Override
  public String getArtifactId() {
    return name;
  }

  @Override
  public Application getApplication() {
    return Application.CV.IMAGE_CLASSIFICATION;
  }

  /** An MRL for listings; emotion4j's own zoo does the fetching, not DJL's repository. */
  @Override
  public MRL getMrl() {
    Repository repo = Repository.newInstance("emotion4j",
        ModelZoo.fromEnvironment().config().cacheDirectory());
    return MRL.model(repo, getApplication(), getGroupId(), name, null, name);
  }

  @Override
  public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
      throws IOException, ModelNotFoundException, MalformedModelException {
    String engine = criteria.getEngine();
    if (engine != null && !engine.equals(PyTorchBackend.ENGINE)) {
      throw new ModelNotFoundException("emotion4j's DJL zoo runs models on the PyTorch engine, not "
          + engine + "; use optEngine(\"PyTorch\") or the emotion4j builder for other backends");
    }
    Class<I> in = criteria.getInputClass();
    Class<O> out = criteria.getOutputClass();
    TranslatorFactory factory = criteria.getTranslatorFactory();
    boolean ours = in == Image.class && out == Classifications.class;
    boolean raw = in == NDList.class && out == NDList.class;
    if (!ours && !raw && (factory == null || !factory.isSupported(in, out))) {
      throw new ModelNotFoundException("emotion4j model \"" + name + "\" takes (Image,"
          + " Classifications) or (NDList, NDList), not (" + in.getName() + ", " + out.getName()
          + "); pass a translator for those types with optTranslator");
    }
    ModelZoo zoo = zoo(criteria.getProgress());
    ZooEntry entry = choose(zoo, criteria.getFilters());
    ModelPackage pkg = load(zoo, entry);
    Model model;
    try {
      model = PyTorchNetwork.newModel(pkg, criteria.getDevice());
    } catch (ModelPackageException e) {
      throw new MalformedModelException(e.getMessage(), e);
    }
    model.setProperty("emotion4j.model", entry.spec());
    model.setProperty("emotion4j.source", entry.source().name());
    try {
      Translator<I, O> translator;
      if (factory != null && factory.isSupported(in, out)) {
        translator = factory.newInstance(in, out, model, criteria.getArguments() == null
            ? Map.of() : criteria.getArguments());
      } else {
        translator = ours ? cast(new EmotionTranslator(pkg)) : cast(new NoopTranslator());
      }
      log.debug("DJL criteria loaded emotion4j model {} from {}", entry.spec(), entry.source());
      return new ZooModel<>(model, translator);
    } catch (TranslateException | RuntimeException e) {
      model.close();
      throw new ModelNotFoundException("No translator for emotion4j model \"" + name + "\": " + e, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <I, O> Translator<I, O> cast(Translator<?, ?> t) {
    return (Translator<I, O>) t;
  }

  @Override
  public <I, O> boolean isDownloaded(Criteria<I, O> criteria) throws ModelNotFoundException {
    return choose(ModelZoo.fromEnvironment(), criteria.getFilters()).source() != ModelSource.REMOTE;
  }

  @Override
  public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress)
      throws IOException, ModelNotFoundException {
    ModelZoo zoo = zoo(progress);
    ZooEntry entry = choose(zoo, criteria.getFilters());
    try {
      zoo.fetch(entry.spec());
    } catch (io.github.emotion4j.zoo.ModelNotFoundException e) {
      throw new ModelNotFoundException(e.getMessage(), e);
    } catch (ZooException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The highest version of this name that passes the filters. */
  ZooEntry choose(ModelZoo zoo, Map<String, String> filters) throws ModelNotFoundException {
    Map<String, String> f = filters == null ? Map.of() : filters;
    for (String key : f.keySet()) {
      if (!FILTERS.contains(key)) {
        throw new ModelNotFoundException("Unknown filter \"" + key + "\" for emotion4j model \""
            + name + "\"; the filters are " + FILTERS.stream().sorted().toList());
      }
    }
    List<ZooEntry> all = zoo.listModels().stream().filter(e -> e.name().equalsIgnoreCase(name))
        .toList();
    return all.stream().filter(e -> matches(e, f))
        .max(Comparator.comparing(ZooEntry::version, ModelZoo::compareVersions))
        .orElseThrow(() -> new ModelNotFoundException("No emotion4j model \"" + name + "\" matches "
            + f + ". Versions that exist: " + (all.isEmpty() ? "none" : all.stream()
                .map(e -> e.version() + " (labels " + e.labelSet() + " " + e.labels() + ", architecture "
                    + e.architecture() + ", " + e.source().name().toLowerCase(Locale.ROOT) + ")")
                .collect(Collectors.joining(", "))) + ". See docs/ZOO.md#djl"));
  }

  private static boolean matches(ZooEntry e, Map<String, String> f) {
    String version = f.get(VERSION);
    if (version != null && !version.equals(e.version())) {
      return false;
    }
    String labels = f.get(LABELS);
    if (labels != null && !labels.equalsIgnoreCase(e.labelSet())) {
      List<String> wanted = Arrays.stream(labels.split(",")).map(String::trim)
          .map(s -> s.toLowerCase(Locale.ROOT)).toList();
      if (!wanted.equals(e.labels().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList())) {
        return false;
      }
    }
    String arch = f.get(ARCHITECTURE);
    return arch == null || arch.equalsIgnoreCase(e.architecture());
  }

  private static ModelPackage load(ModelZoo zoo, ZooEntry entry)
      throws IOException, ModelNotFoundException, MalformedModelException {
    try {
      return zoo.load(entry);
    } catch (io.github.emotion4j.zoo.ModelNotFoundException e) {
      throw new ModelNotFoundException(e.getMessage(), e);
    } catch (ZooException e) {
      throw new IOException(e.getMessage(), e);
    } catch (ModelPackageException e) {
      throw new MalformedModelException(e.getMessage(), e);
    } catch (Emotion4jException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The environment's zoo, reporting download progress to DJL's progress bar if one is given. */
  private static ModelZoo zoo(Progress progress) {
    ModelZoo.Builder b = ModelZoo.builder();
    if (progress != null) {
      DownloadListener listener = (model, done, total) -> {
        if (done == 0) {
          progress.reset("Downloading " + model.spec(), Math.max(total, 1));
          progress.start(0);
        } else {
          progress.update(done);
          if (done == total) {
            progress.end();
          }
        }
      };
      b.progress(listener);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "emotion4j model loader " + EmotionDjlZoo.GROUP_ID + ":" + name;
  }
}
