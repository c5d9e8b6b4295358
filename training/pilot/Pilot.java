// Pilot runs for the accuracy issue: candidate networks trained briefly on a subset of FER2013 train,
// compared on the whole val split. Run: training/pilot/pilot.sh NET FRACTION EPOCHS [key=value ...]
// keys: dropout (0.5) lr (3e-4) opt (adamw|sgd|sgd_nesterov) wd (0.01) aug (standard|robust|none)
//       ls (0) mixup (0) cutmix (0) ema (0) balancing (class_weights|none|balanced_sampling) batch (64)
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.LayerSpec.*;
import io.github.emotion4j.model.NetworkSummary;
import io.github.emotion4j.train.*;
import java.nio.file.Path;
import java.util.*;

public class Pilot {
  /** "c32x2,c64x2,c128x2,d256" : stages of 3x3 conv-BN-ReLU then max-pool; dense hidden layers; dropout p. */
  static List<LayerSpec> net(String spec, double dropout, int outputs) {
    List<LayerSpec> l = new ArrayList<>();
    boolean flat = false;
    for (String part : spec.split(",")) {
      if (part.startsWith("c")) {
        String[] fx = part.substring(1).split("x");
        for (int i = 0; i < Integer.parseInt(fx[1]); i++) {
          l.add(new Conv2d(Integer.parseInt(fx[0]), 3, 1, 1, false));
          l.add(new BatchNorm(1e-5));
          l.add(new Relu());
        }
        l.add(new MaxPool(2, 2, 0));
      } else if (part.equals("gap")) {
        l.add(new GlobalAvgPool());
      } else if (part.startsWith("d")) {
        if (!flat) { l.add(new Flatten()); flat = true; }
        if (dropout > 0) l.add(new Dropout(dropout));
        l.add(new Dense(Integer.parseInt(part.substring(1)), true));
        l.add(new Relu());
      }
    }
    if (!flat) l.add(new Flatten());
    if (dropout > 0) l.add(new Dropout(dropout));
    l.add(new Dense(outputs, true));
    return l;
  }

  public static void main(String[] a) throws Exception {
    String spec = a[0];
    double fraction = Double.parseDouble(a[1]);
    int epochs = Integer.parseInt(a[2]);
    Map<String, String> o = new HashMap<>();
    for (int i = 3; i < a.length; i++) {
      String[] kv = a[i].split("=", 2);
      o.put(kv[0], kv[1]);
    }
    double dropout = Double.parseDouble(o.getOrDefault("dropout", "0.5"));
    double lr = Double.parseDouble(o.getOrDefault("lr", "3e-4"));
    Augmentation aug = switch (o.getOrDefault("aug", "standard")) {
      case "robust" -> Augmentation.ROBUST;
      case "none" -> Augmentation.NONE;
      default -> Augmentation.STANDARD;
    };
    Path data = Path.of(System.getProperty("data", "../shared/datasets/fer2013"));
    List<LayerSpec> layers = net(spec, dropout, 7);
    NetworkSummary s = NetworkSummary.of(InputContract.FER2013, layers, 7);
    System.out.printf(Locale.ROOT, "net %s options %s: %,d parameters, %.1f MFLOP/image%n", spec, o, s.parameters(), s.flops() / 1e6);
    LabelledImages train = LabelledImages.fromFolder(data.resolve("train"), LabelSet.FER2013, InputContract.FER2013);
    if (fraction < 1) train = train.split(1 - fraction, 7).get(0);
    LabelledImages val = LabelledImages.fromFolder(data.resolve("val"), LabelSet.FER2013, InputContract.FER2013);
    System.out.println("train " + train.size() + ", val " + val.size());
    TrainingConfig config = TrainingConfig.builder(layers).labels(LabelSet.FER2013).epochs(epochs)
        .batchSize(Integer.parseInt(o.getOrDefault("batch", "64")))
        .optimizer(TrainingConfig.Optimizer.valueOf(o.getOrDefault("opt", "adamw").toUpperCase(Locale.ROOT)), lr)
        .weightDecay(Double.parseDouble(o.getOrDefault("wd", "0.01")))
        .schedule(TrainingConfig.Schedule.COSINE, 1).augmentation(aug)
        .labelSmoothing(Double.parseDouble(o.getOrDefault("ls", "0")))
        .mixing(Double.parseDouble(o.getOrDefault("mixup", "0")), Double.parseDouble(o.getOrDefault("cutmix", "0")))
        .ema(Double.parseDouble(o.getOrDefault("ema", "0")))
        .balancing(TrainingConfig.Balancing.valueOf(o.getOrDefault("balancing", "class_weights").toUpperCase(Locale.ROOT)))
        .earlyStopping(TrainingConfig.Metric.MACRO_F1, 0).seed(20261202).build();
    long t0 = System.nanoTime();
    TrainingResult r = Training.train(config, train, val, new TrainingListener() {
      @Override public void onBatch(int epoch, int batch, int batches, double loss, double ips, double eta) {
        if (batch % 50 == 0) System.out.printf(Locale.ROOT, "  epoch %d batch %d/%d loss %.4f %.1f img/s%n", epoch, batch, batches, loss, ips);
      }
      @Override public void onEpoch(EpochResult e) {
        System.out.printf(Locale.ROOT, "epoch %d train %.4f/%.3f val %.4f/%.3f f1 %.3f %.0fs %.1f img/s%n", e.epoch(),
            e.trainLoss(), e.trainAccuracy(), e.validationLoss(), e.validation().accuracy(), e.validation().macroF1(),
            e.seconds(), 0.0);
      }
    });
    System.out.printf(Locale.ROOT, "done %s best epoch %d, %.0f s%n", spec, r.bestEpoch(), (System.nanoTime() - t0) / 1e9);
  }
}
