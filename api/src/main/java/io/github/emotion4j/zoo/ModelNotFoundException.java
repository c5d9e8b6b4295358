package io.github.emotion4j.zoo;

import java.util.List;

/**
 * No repository of the model zoo has the model asked for, or the only one that might (the HTTP
 * mirror) may not be asked because the zoo is offline or has no URL. The message names the model,
 * where the zoo looked and the models that exist; {@link #available()} lists those.
 *
 * @since 0.1
 */
public class ModelNotFoundException extends ZooException {
  private static final long serialVersionUID = 1L;

  /** The models that exist, as {@code name:version}. */
  private final List<String> available;

  /**
   * Creates the exception.
   *
   * @param message what was asked, where the zoo looked, what exists and the fix
   * @param reason the short reason, e.g. {@code "offline"} or {@code "unknown model"}
   * @param available the models that exist, as {@code name:version}
   */
  public ModelNotFoundException(String message, String reason, List<String> available) {
    super(message, null, reason, null);
    this.available = List.copyOf(available);
  }

  /**
   * Returns the models the zoo found, as {@code name:version}, in resolution order.
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<String> available() {
    return available;
  }
}
