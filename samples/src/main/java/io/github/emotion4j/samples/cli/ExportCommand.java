package io.github.emotion4j.samples.cli;

import io.github.emotion4j.backend.onnxruntime.OnnxExporter;
import io.github.emotion4j.backend.tensorflow.SavedModelExporter;
import io.github.emotion4j.internal.ModelResolver;
import io.github.emotion4j.model.ModelPackage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Exports a model package to ONNX or a TensorFlow SavedModel. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a model package (a name or a path) to ONNX or a TensorFlow SavedModel.")
final class ExportCommand implements Callable<Integer> {
  /** The export formats. */
  enum Format { ONNX, SAVEDMODEL }

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model name (e.g. fer2013-vgg-bn) or package path.")
  String model;

  @Option(names = "--format", required = true, description = "onnx or savedmodel.")
  String format;

  @Option(names = {"-o", "--output"}, required = true, description = "The .onnx file or SavedModel folder to write.")
  Path output;

  @Override
  public Integer call() throws Exception {
    Format f;
    try {
      f = Format.valueOf(format.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "Unknown format \"" + format + "\". Use onnx or savedmodel");
    }
    Path path = ClassifierOptions.modelPath(model);
    ModelPackage pkg = path != null ? ModelPackage.load(path) : ModelResolver.resolve(model);
    if (f == Format.ONNX) {
      OnnxExporter.export(pkg, output);
    } else {
      SavedModelExporter.export(pkg, output);
    }
    System.out.printf("exported %s %s to %s (%s)%n", pkg.metadata().name(), pkg.metadata().version(),
        output, f.name().toLowerCase(Locale.ROOT));
    return 0;
  }
}
