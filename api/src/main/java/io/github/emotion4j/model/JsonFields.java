package io.github.emotion4j.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.emotion4j.ModelPackageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads required fields of a JSON file, each checked by its full name ({@code input.channels}) so
 * that a missing or mistyped field is a {@link ModelPackageException} that names the file and the
 * field, not Gson's NullPointerException or ClassCastException.
 */
final class JsonFields {
  private final String source;

  /**
   * Creates a reader.
   *
   * @param source the start of every message, naming the file (e.g. its path)
   */
  JsonFields(String source) {
    this.source = source;
  }

  JsonElement required(JsonObject o, String parent, String key) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      throw new ModelPackageException(source + " lacks the field \"" + name(parent, key) + "\"");
    }
    return e;
  }

  JsonObject object(JsonObject o, String parent, String key) {
    JsonElement e = required(o, parent, key);
    if (!e.isJsonObject()) {
      throw wrongType(parent, key, "an object", e);
    }
    return e.getAsJsonObject();
  }

  JsonArray array(JsonObject o, String parent, String key) {
    JsonElement e = required(o, parent, key);
    if (!e.isJsonArray()) {
      throw wrongType(parent, key, "an array", e);
    }
    return e.getAsJsonArray();
  }

  int integer(JsonObject o, String parent, String key) {
    JsonElement e = required(o, parent, key);
    if (!isNumber(e) || e.getAsDouble() != Math.rint(e.getAsDouble()) || Math.abs(e.getAsDouble()) > Integer.MAX_VALUE) {
      throw wrongType(parent, key, "a whole number", e);
    }
    return e.getAsInt();
  }

  String string(JsonObject o, String parent, String key) {
    JsonElement e = required(o, parent, key);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw wrongType(parent, key, "a string", e);
    }
    return e.getAsString();
  }

  List<String> strings(JsonObject o, String parent, String key) {
    List<String> out = new ArrayList<>();
    JsonArray a = array(o, parent, key);
    for (int i = 0; i < a.size(); i++) {
      JsonElement e = a.get(i);
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw wrongType(parent, key + "[" + i + "]", "a string", e);
      }
      out.add(e.getAsString());
    }
    return out;
  }

  List<Double> numbers(JsonObject o, String parent, String key) {
    List<Double> out = new ArrayList<>();
    JsonArray a = array(o, parent, key);
    for (int i = 0; i < a.size(); i++) {
      if (!isNumber(a.get(i))) {
        throw wrongType(parent, key + "[" + i + "]", "a number", a.get(i));
      }
      out.add(a.get(i).getAsDouble());
    }
    return out;
  }

  private static boolean isNumber(JsonElement e) {
    return e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber();
  }

  private ModelPackageException wrongType(String parent, String key, String expected, JsonElement value) {
    String text = value.toString();
    return new ModelPackageException(source + ": the field \"" + name(parent, key) + "\" must be " + expected
        + ", not " + (text.length() > 60 ? text.substring(0, 60) + "…" : text));
  }

  private static String name(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }
}
