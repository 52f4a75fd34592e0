package io.otelpipeline.core.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every instrument the layer declares, read from its static fields: one declaration per metric name. */
class InstrumentDeclarationsTest {
  @Test
  void noTwoDeclarationsShareAName() throws IllegalAccessException {
    Map<String, List<String>> byName = new TreeMap<>();
    for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.otelpipeline.core")) {
      for (Field f : c.reflect().getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
          continue;
        }
        f.setAccessible(true);
        Object value = f.get(null);
        List<Object> declared = new ArrayList<>();
        if (value instanceof Instrument) {
          declared.add(value);
        } else if (value instanceof Map<?, ?> m) {
          m.values().stream().filter(Instrument.class::isInstance).forEach(declared::add);
        }
        for (Object i : declared) {
          byName.computeIfAbsent(((Instrument) i).name(), n -> new ArrayList<>()).add(c.getSimpleName() + "." + f.getName());
        }
      }
    }
    assertTrue(byName.size() > 40, "found only " + byName.keySet());
    Map<String, List<String>> twice = new TreeMap<>(byName);
    twice.values().removeIf(where -> where.size() == 1);
    assertEquals(Map.of(), twice);
  }
}
