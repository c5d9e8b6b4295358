package io.github.emotion4j.samples.cli;

import io.github.emotion4j.backend.onnxruntime.OnnxExporter;
import io.github.emotion4j.backend.tensorflow.SavedModelExporter;
import io.github.emotion4j.model.ModelPackage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Exports a model package to ONNX or a TensorFlow SavedModel. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a model package (a name or a path) to ONNX or a TensorFlow SavedModel.")
final class ExportCommand implements Callable<Integer> {
  /** The export formats. */
  enum Format {
    /** An {@code .onnx} file. */
    ONNX,
    /** A TensorFlow SavedModel folder. */
    SAVEDMODEL
  }

  /** The {@code MODEL} parameter: a model name or package path. */
  @Parameters(index = "0", paramLabel = "MODEL", description = "A model name (e.g. fer2013-vgg-bn) or package path.")
  String model;

  /** The {@code --format} option, checked in {@link #call()} so that a bad value gets one clear message. */
  @Option(names = "--format", required = true, description = "onnx or savedmodel.")
  String format;

  /** The {@code -o} option. */
  @Option(names = {"-o", "--output"}, required = true, description = "The .onnx file or SavedModel folder to write.")
  Path output;

  /** This command, as picocli parsed it: usage errors print its usage under the tool's name. */
  @Spec
  CommandSpec spec;

  /**
   * Exports the package.
   *
   * @return 0
   * @throws Exception if the package cannot be read or exported (exit code 1)
   */
  @Override
  public Integer call() throws Exception {
    Format f;
    try {
      f = Format.valueOf(format.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Unknown format \"" + format + "\". Use onnx or savedmodel");
    }
    ModelPackage pkg = ClassifierOptions.loadPackage(model);
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
