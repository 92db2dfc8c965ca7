package io.streamrec.common.event;

/** Which table a factor row belongs to. The codes are part of the wire format: never renumber. */
public enum FactorKind {
    USER((byte) 'U'),
    ITEM((byte) 'I'),
    /** The single global-mean record; its id is always 0. */
    GLOBAL((byte) 'G');

    private final byte code;

    FactorKind(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static FactorKind fromCode(byte code) {
        for (FactorKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
