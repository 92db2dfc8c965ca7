package io.streamrec.common.event;

/** Demographics where a dataset has them (ml-100k, ml-1m); every field but the id may be null. */
public record UserMetadata(long user, String gender, Integer age, String occupation, String zip) {
}
