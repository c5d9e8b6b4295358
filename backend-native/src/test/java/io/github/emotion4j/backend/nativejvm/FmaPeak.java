package io.github.emotion4j.backend.nativejvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's float FMA ceiling as the JVM sees it right now: twelve independent Vector API FMA
 * chains per thread, the loop DESIGN.md's peak figure comes from. Used by {@link NativeSpeedCheck}
 * (only when the Vector API module is enabled) so that speeds are quoted against the compute that
 * was actually available in the same run on this shared machine.
 */
final class FmaPeak {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private FmaPeak() {}

  /** Runs {@code threads} threads for 5 rounds of 20 × 5M FMA steps; returns the best GFLOP/s. */
  static double measure(int threads) throws InterruptedException {
    long iters = 5_000_000L;
    int calls = 20;
    double best = 0;
    for (int round = 0; round < 5; round++) {
      Thread[] t = new Thread[threads];
      float[] sink = new float[threads];
      long t0 = System.nanoTime();
      for (int i = 0; i < threads; i++) {
        int id = i;
        t[i] = new Thread(() -> {
          float s = 0;
          for (int r = 0; r < calls; r++) {
            s += chains(iters);
          }
          sink[id] = s;
        });
        t[i].start();
      }
      for (Thread th : t) {
        th.join();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      best = Math.max(best, threads * calls * iters * 12.0 * S.length() * 2 / s / 1e9);
    }
    return best;
  }

  private static float chains(long iters) {
    FloatVector a0 = FloatVector.broadcast(S, 1f);
    FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
    FloatVector m = FloatVector.broadcast(S, 0.999999f);
    FloatVector c = FloatVector.broadcast(S, 1e-7f);
    for (long i = 0; i < iters; i++) {
      a0 = a0.fma(m, c);
      a1 = a1.fma(m, c);
      a2 = a2.fma(m, c);
      a3 = a3.fma(m, c);
      a4 = a4.fma(m, c);
      a5 = a5.fma(m, c);
      a6 = a6.fma(m, c);
      a7 = a7.fma(m, c);
      a8 = a8.fma(m, c);
      a9 = a9.fma(m, c);
      a10 = a10.fma(m, c);
      a11 = a11.fma(m, c);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10)
        .add(a11).reduceLanes(VectorOperators.ADD);
  }
}
