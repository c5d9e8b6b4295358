package io.github.emotion4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.ModelPackageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure-Java safetensors reader and writer, on files built byte by byte. */
class SafetensorsTest {

  /** Builds a safetensors file: header JSON (as given) then the raw data bytes. */
  private static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return b.array();
  }

  private static byte[] shorts(int... values) {
    ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putShort((short) v);
    }
    return b.array();
  }

  @Test
  void readsF16ByHand() {
    // 1.0, -2.0, 0.5, 65504 (largest half), 2^-24 (smallest subnormal), 2^-14 (smallest normal),
    // +inf and -0.0, as a 2x4 tensor.
    byte[] data = shorts(0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x0400, 0x7C00, 0x8000);
    byte[] f = file("{\"h\":{\"dtype\":\"F16\",\"shape\":[2,4],\"data_offsets\":[0,16]}}", data);
    Tensor t = Safetensors.read(f, "half.safetensors").get("h");
    assertArrayEquals(new int[] {2, 4}, t.shape());
    assertArrayEquals(new float[] {1f, -2f, 0.5f, 65504f, 0x1p-24f, 0x1p-14f,
        Float.POSITIVE_INFINITY, -0f}, t.data(), 0f);
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(t.data()[7]), "sign of zero kept");
    assertTrue(Float.isNaN(Safetensors.halfToFloat((short) 0x7E00)));
    assertEquals(-0x1p-24f, Safetensors.halfToFloat((short) 0x8001), 0f);
    assertEquals(1023 * 0x1p-24f, Safetensors.halfToFloat((short) 0x03FF), 0f, "largest subnormal");
  }

  @Test
  void readsBf16ByHand() {
    // bf16 is the top half of a float32: 1.0, -2.5, 3.140625, 1e38-ish (0x7E96 -> 0x7E960000).
    byte[] data = shorts(0x3F80, 0xC020, 0x4049, 0x7E96);
    byte[] f = file("{\"b\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,8]}}", data);
    float[] v = Safetensors.read(f, "bf16").get("b").data();
    assertArrayEquals(new float[] {1f, -2.5f, 3.140625f, Float.intBitsToFloat(0x7E960000)}, v, 0f);
  }

  @Test
  void readsF64AndF32SideBySide() {
    ByteBuffer data = ByteBuffer.allocate(3 * 8 + 2 * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.putDouble(1.5).putDouble(-1e-3).putDouble(0.1).putFloat(7f).putFloat(-8.25f);
    String header = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"d\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]},"
        + "\"s\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[24,32]}}";
    Map<String, Tensor> t = Safetensors.read(file(header, data.array()), "mixed");
    assertEquals(2, t.size(), "__metadata__ is not a tensor");
    assertArrayEquals(new float[] {1.5f, (float) -1e-3, 0.1f}, t.get("d").data(), 0f);
    assertArrayEquals(new float[] {7f, -8.25f}, t.get("s").data(), 0f);
  }

  @Test
  void writeThenReadIsExactAndAligned() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("z", new Tensor(new int[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}));
    tensors.put("a", new Tensor(new int[] {1}, new float[] {42}));
    tensors.put("scalar", new Tensor(new int[] {}, new float[] {3}));
    byte[] bytes = Safetensors.write(tensors, Map.of("producer", "emotion4j"));
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8, "data starts 8-byte aligned");
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertTrue(header.contains("\"__metadata__\":{\"producer\":\"emotion4j\"}"), header);
    assertTrue(header.indexOf("\"a\"") < header.indexOf("\"z\""), "tensors sorted by name");
    assertEquals(tensors, Safetensors.read(bytes, "mem"));
  }

  private static String malformed(byte[] f) {
    ModelPackageException e = assertThrows(ModelPackageException.class, () -> Safetensors.read(f, "w.st"));
    assertTrue(e.getMessage().startsWith("Malformed safetensors file w.st: "), e.getMessage());
    return e.getMessage();
  }

  @Test
  void malformedFilesAreRefused() {
    assertTrue(malformed(new byte[5]).contains("shorter than its 8-byte header length"));
    byte[] tooLong = file("{}", new byte[0]);
    tooLong[0] = 100;
    assertTrue(malformed(tooLong).contains("header length 100 does not fit a 10-byte file"));
    assertTrue(malformed(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[8]))
        .contains("tensor \"t\" has byte range [0, 4) that does not hold its shape"));
    assertTrue(malformed(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[8]))
        .contains("lies outside the 8 data bytes"));
    assertTrue(malformed(file("{\"t\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]))
        .contains("has dtype I32; only F32, F64, F16 and BF16 are read"));
    malformed(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", new byte[0]));
    malformed(file("[1, 2]", new byte[0]));
    malformed(file("{\"t\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]));
  }
}
