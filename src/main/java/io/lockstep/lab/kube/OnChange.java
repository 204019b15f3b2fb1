package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** An informer handler that hands every added, changed or deleted object (the new state) to one consumer. */
final class OnChange {

  private OnChange() {}

  static <T extends HasMetadata> ResourceEventHandler<T> of(Consumer<T> changed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        changed.accept(object);
      }

      @Override
      public void onUpdate(T before, T after) {
        changed.accept(after);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        changed.accept(object);
      }
    };
  }
}
