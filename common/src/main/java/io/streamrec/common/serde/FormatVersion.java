package io.streamrec.common.serde;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link JsonSerde} format version of a record type whose JSON grew: writers put {@link #current} in {@code "v"},
 * readers accept {@link #oldestReadable}..{@link #current} (fields added since read as null) and refuse the rest, so
 * an older build meeting a newer record skips it as {@code UNKNOWN_VERSION} instead of misreading it. Types without
 * it are version 1.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface FormatVersion {

    int current();

    int oldestReadable() default 1;
}
