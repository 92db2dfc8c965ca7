package io.streamrec.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Immutable key/value settings merged from layers, later layers winning: built-in defaults, an optional properties
 * file, the environment ({@code STREAMREC_BOOTSTRAP_SERVERS} → {@code bootstrap.servers}), then command-line flags.
 * Each value remembers where it came from, so a bad value can be reported as "flag --x" or "file f.properties".
 * Typed getters validate and throw {@link ConfigException} naming the key and its source.
 */
public final class Settings {

    public static final String ENV_PREFIX = "STREAMREC_";

    private record Entry(String value, String source) {
    }

    private final Map<String, Entry> entries;

    private Settings(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings from file (may be null), environment and flags, in that order of precedence (flags win). */
    public static Settings load(Path file, Map<String, String> env, Map<String, String> flags) {
        Builder b = builder();
        if (file != null) {
            b.file(file);
        }
        return b.environment(env).flags(flags).build();
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::value);
    }

    public String getString(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public int getInt(String key, int defaultValue, int min, int max) {
        return getNumber(key, defaultValue, Integer::parseInt, min, max);
    }

    public long getLong(String key, long defaultValue, long min, long max) {
        return getNumber(key, defaultValue, Long::parseLong, min, max);
    }

    public double getDouble(String key, double defaultValue, double min, double max) {
        double v = getNumber(key, defaultValue, Double::parseDouble, min, max);
        if (Double.isNaN(v)) {
            throw new ConfigException(key + " must be a number" + from(key));
        }
        return v;
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key + " must be true or false, got '" + v.get() + "'" + from(key));
        };
    }

    private <N extends Comparable<N>> N getNumber(String key, N defaultValue, Function<String, N> parse, N min, N max) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        N value;
        try {
            value = parse.apply(raw.get().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a number, got '" + raw.get() + "'" + from(key), e);
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(key + " must be in [" + min + ", " + max + "], got " + value + from(key));
        }
        return value;
    }

    /** Where a key's value came from, for messages: " (from flag --x)". */
    public String from(String key) {
        Entry e = entries.get(key);
        return e == null ? "" : " (from " + e.source() + ")";
    }

    /** All settings whose key starts with {@code prefix}, prefix removed: e.g. "kafka." pass-through client settings. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v.value());
            }
        });
        return Collections.unmodifiableMap(out);
    }

    public Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, v.value()));
        return Collections.unmodifiableMap(out);
    }

    /** Settings with {@code overrides} layered on top (they win). */
    public Settings with(Map<String, String> overrides, String source) {
        Builder b = new Builder();
        b.entries.putAll(entries);
        overrides.forEach((k, v) -> b.entries.put(k, new Entry(v, source)));
        return b.build();
    }

    /** Layers settings; later calls override earlier ones. */
    public static final class Builder {
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        public Builder put(String key, String value, String source) {
            if (value != null) {
                entries.put(key, new Entry(value, source));
            }
            return this;
        }

        public Builder file(Path file) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("configuration file " + file + " does not exist");
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
            }
            p.stringPropertyNames().forEach(k -> put(k.trim(), p.getProperty(k).trim(), "file " + file));
            return this;
        }

        /** Maps STREAMREC_FOO_BAR=x to foo.bar=x; other variables are ignored. */
        public Builder environment(Map<String, String> env) {
            env.forEach((k, v) -> {
                if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                    String key = k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    put(key, v, "environment " + k);
                }
            });
            return this;
        }

        public Builder flags(Map<String, String> flags) {
            flags.forEach((k, v) -> put(k, v, "flag --" + k.replace('.', '-')));
            return this;
        }

        public Settings build() {
            return new Settings(entries);
        }
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
