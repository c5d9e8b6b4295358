package io.github.emotion4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the zoo's settings from properties and environment variables. */
class ZooConfigTest {
  private static ZooConfig read(Map<String, String> props, Map<String, String> env) {
    return ZooConfig.fromEnvironment(props::get, env::get);
  }

  @Test
  void defaults() {
    ZooConfig c = read(Map.of(), Map.of());
    assertNull(c.url());
    assertNull(c.localDirectory());
    assertEquals(ZooConfig.defaultCacheDirectory(), c.cacheDirectory());
    assertFalse(c.offline());
    assertFalse(c.allowHttp());
    assertEquals(Duration.ofSeconds(10), c.connectTimeout());
    assertEquals(Duration.ofSeconds(30), c.readTimeout());
    assertEquals(3, c.attempts());
  }

  @Test
  void propertiesWinOverEnvironment() {
    ZooConfig c = read(
        Map.of("emotion4j.zoo.url", "https://models.example.com/e4j", "emotion4j.zoo.readTimeout", "500ms"),
        Map.of("EMOTION4J_ZOO_URL", "https://other.example.com/", "EMOTION4J_CACHE_DIR", "/c",
            "EMOTION4J_ZOO_DIR", "/d", "EMOTION4J_OFFLINE", "true", "EMOTION4J_ZOO_ALLOW_HTTP", "true",
            "EMOTION4J_ZOO_CONNECT_TIMEOUT", "PT2S", "EMOTION4J_ZOO_ATTEMPTS", "5"));
    assertEquals(URI.create("https://models.example.com/e4j/"), c.url());
    assertEquals(Path.of("/c"), c.cacheDirectory());
    assertEquals(Path.of("/d"), c.localDirectory());
    assertTrue(c.offline());
    assertTrue(c.allowHttp());
    assertEquals(Duration.ofSeconds(2), c.connectTimeout());
    assertEquals(Duration.ofMillis(500), c.readTimeout());
    assertEquals(5, c.attempts());
  }

  @Test
  void djlOfflineIsHonoured() {
    assertTrue(read(Map.of("ai.djl.offline", "true"), Map.of()).offline());
    // emotion4j's own switch wins when set: DJL stays offline, the model mirror is usable
    assertFalse(read(Map.of("ai.djl.offline", "true", "emotion4j.offline", "false"), Map.of()).offline());
  }

  @Test
  void badValuesNameTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> read(Map.of("emotion4j.offline", "yes"), Map.of()));
    assertEquals("emotion4j.offline / EMOTION4J_OFFLINE must be true or false, got \"yes\"",
        e.getMessage());
    IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
        () -> read(Map.of(), Map.of("EMOTION4J_ZOO_READ_TIMEOUT", "soon")));
    assertTrue(d.getMessage().startsWith("emotion4j.zoo.readTimeout / EMOTION4J_ZOO_READ_TIMEOUT must"
        + " be a duration"), d.getMessage());
    IllegalArgumentException u = assertThrows(IllegalArgumentException.class,
        () -> read(Map.of("emotion4j.zoo.url", "ftp://x/"), Map.of()));
    assertTrue(u.getMessage().contains("must be https://"), u.getMessage());
  }
}
