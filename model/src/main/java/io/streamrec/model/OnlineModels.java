package io.streamrec.model;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;

/** Builds the model a configuration asks for. */
public final class OnlineModels {

    private OnlineModels() {
    }

    public static OnlineModel create(ModelKind kind, MfHyperParameters params) {
        return switch (kind) {
            case MF -> new BiasedMf(ModelKind.MF, params);
            case BASELINE -> new BiasedMf(ModelKind.BASELINE, params.withDim(0));
            case MEAN -> new GlobalMeanModel(params);
        };
    }

    /** {@code model.type} (mf|baseline|mean, default mf) plus {@link MfHyperParameters#fromSettings}. */
    public static OnlineModel fromSettings(Settings settings) {
        ModelKind kind;
        try {
            kind = settings.get(MfHyperParameters.Keys.TYPE).map(ModelKind::parse).orElse(ModelKind.MF);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + settings.from(MfHyperParameters.Keys.TYPE), e);
        }
        return create(kind, MfHyperParameters.fromSettings(settings));
    }
}
