package io.github.emotion4j.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.emotion4j.ModelPackageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format in pure Java: an 8-byte little-endian header length, a
 * JSON header mapping each tensor name to its dtype, shape and byte range, then the raw
 * little-endian values. Written tensors are float32; {@code F32}, {@code F64}, {@code F16} and
 * {@code BF16} are read (and widened or narrowed to float32).
 *
 * @since 0.1
 */
public final class Safetensors {
  private static final long MAX_HEADER_BYTES = 100L << 20;

  private Safetensors() {}

  /**
   * Serialises tensors, sorted by name, with an optional {@code __metadata__} string map.
   *
   * @param tensors the tensors by name
   * @param metadata free-form strings stored in the header, may be empty
   * @return the file's bytes
   */
  public static byte[] write(Map<String, Tensor> tensors, Map<String, String> metadata) {
    Map<String, Tensor> sorted = new TreeMap<>(tensors);
    JsonObject header = new JsonObject();
    if (!metadata.isEmpty()) {
      JsonObject meta = new JsonObject();
      new TreeMap<>(metadata).forEach(meta::addProperty);
      header.add("__metadata__", meta);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("dtype", "F32");
      JsonArray shape = new JsonArray();
      for (int d : e.getValue().shape()) {
        shape.add(d);
      }
      entry.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offset += 4L * e.getValue().size();
      offsets.add(offset);
      entry.add("data_offsets", offsets);
      header.add(e.getKey(), entry);
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // keeps the data 8-byte aligned, as the format advises
    if (offset + padded + 8 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensors too large for one file: " + offset + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) (8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded);
    out.put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    for (Tensor t : sorted.values()) {
      out.asFloatBuffer().put(t.unsafeData());
      out.position(out.position() + 4 * t.size());
    }
    return out.array();
  }

  /**
   * Parses a safetensors file.
   *
   * @param bytes the file's bytes
   * @param source the file's name, for error messages
   * @return the tensors by name, sorted
   * @throws ModelPackageException if the header or a byte range is malformed
   */
  public static Map<String, Tensor> read(byte[] bytes, String source) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      if (bytes.length < 8) {
        throw bad(source, "file is " + bytes.length + " bytes, shorter than its 8-byte header length");
      }
      long headerLength = in.getLong();
      if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length) {
        throw bad(source, "header length " + headerLength + " does not fit a " + bytes.length + "-byte file");
      }
      String json = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
      JsonObject header = JsonParser.parseString(json).getAsJsonObject();
      long dataStart = 8 + headerLength;
      long dataLength = bytes.length - dataStart;
      Map<String, Tensor> tensors = new TreeMap<>();
      for (Map.Entry<String, JsonElement> e : header.entrySet()) {
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonObject entry = e.getValue().getAsJsonObject();
        String dtype = entry.get("dtype").getAsString();
        JsonArray shapeJson = entry.getAsJsonArray("shape");
        int[] shape = new int[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeJson.get(i).getAsInt();
        }
        JsonArray offsets = entry.getAsJsonArray("data_offsets");
        long begin = offsets.get(0).getAsLong();
        long end = offsets.get(1).getAsLong();
        int width = dtypeWidth(dtype, e.getKey(), source);
        long count = Tensor.elementCount(shape);
        if (begin < 0 || end > dataLength || end - begin != count * width) {
          throw bad(source, "tensor \"" + e.getKey() + "\" has byte range [" + begin + ", " + end
              + ") that does not hold its shape or lies outside the " + dataLength + " data bytes");
        }
        tensors.put(e.getKey(), new Tensor(shape, decode(in, (int) (dataStart + begin), (int) count, dtype)));
      }
      return tensors;
    } catch (ModelPackageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelPackageException("Malformed safetensors file " + source + ": " + e, e);
    }
  }

  private static int dtypeWidth(String dtype, String name, String source) {
    switch (dtype) {
      case "F32":
        return 4;
      case "F64":
        return 8;
      case "F16":
      case "BF16":
        return 2;
      default:
        throw bad(source, "tensor \"" + name + "\" has dtype " + dtype + "; only F32, F64, F16 and BF16 are read");
    }
  }

  private static float[] decode(ByteBuffer in, int start, int count, String dtype) {
    float[] out = new float[count];
    ByteBuffer b = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    b.position(start);
    switch (dtype) {
      case "F32":
        b.asFloatBuffer().get(out);
        break;
      case "F64":
        for (int i = 0; i < count; i++) {
          out[i] = (float) b.getDouble();
        }
        break;
      case "BF16":
        for (int i = 0; i < count; i++) {
          out[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
        }
        break;
      default: // F16
        for (int i = 0; i < count; i++) {
          out[i] = halfToFloat(b.getShort());
        }
    }
    return out;
  }

  /** IEEE 754 binary16 to float (Java 17 has no {@code Float.float16ToFloat}). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exp == 0) {
      float value = mantissa * 0x1p-24f; // subnormal
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mantissa << 13));
  }

  private static ModelPackageException bad(String source, String what) {
    return new ModelPackageException("Malformed safetensors file " + source + ": " + what);
  }
}
