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
            case DLPLUS -> throw new IllegalArgumentException("dlplus has hyperparameters of its own: build it with "
                    + "OnlineModels.fromSettings or new DlPlusModel(DlPlusHyperParameters)");
            case POPULAR -> new PopularityModel(new PopularityHyperParameters(params, 0));
        };
    }

    /**
     * {@code model.type} (mf|baseline|mean|dlplus|popular, default mf) plus {@link MfHyperParameters#fromSettings}, or
     * {@link DlPlusHyperParameters#fromSettings} for dlplus, {@link PopularityHyperParameters#fromSettings} for popular.
     */
    public static OnlineModel fromSettings(Settings settings) {
        ModelKind kind;
        try {
            kind = settings.get(MfHyperParameters.Keys.TYPE).map(ModelKind::parse).orElse(ModelKind.MF);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + settings.from(MfHyperParameters.Keys.TYPE), e);
        }
        if (kind == ModelKind.DLPLUS) {
            return new DlPlusModel(DlPlusHyperParameters.fromSettings(settings));
        }
        if (kind == ModelKind.POPULAR) {
            return new PopularityModel(PopularityHyperParameters.fromSettings(settings));
        }
        return create(kind, MfHyperParameters.fromSettings(settings));
    }
}
