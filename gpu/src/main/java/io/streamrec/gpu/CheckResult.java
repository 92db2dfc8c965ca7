package io.streamrec.gpu;

/**
 * One parity check's outcome.
 *
 * @param name   what was compared
 * @param passed whether every value was within the tolerance
 * @param detail the worst error found and the tolerance, or the failure
 */
public record CheckResult(String name, boolean passed, String detail) {

    @Override
    public String toString() {
        return (passed ? "PASS " : "FAIL ") + name + ": " + detail;
    }
}
