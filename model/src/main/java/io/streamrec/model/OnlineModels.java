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
            case U_AUTOREC -> throw new IllegalArgumentException("u-autorec has hyperparameters of its own: build it with "
                    + "OnlineModels.fromSettings or new UAutoRecModel(UAutoRecHyperParameters)");
            case HYBRID -> throw new IllegalArgumentException("hybrid has hyperparameters of its own: build it with "
                    + "OnlineModels.fromSettings or new HybridModel(HybridHyperParameters)");
            case I_AUTOREC -> throw offlineOnly();
        };
    }

    /** The offline-trained families ({@code model.type} i-autorec), or empty for the online ones. */
    public static java.util.Optional<io.streamrec.model.eval.BatchTrainedModel> batchTrained(Settings settings) {
        boolean iAutoRec = settings.get(MfHyperParameters.Keys.TYPE).map(t -> {
            try {
                return ModelKind.parse(t) == ModelKind.I_AUTOREC;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }).orElse(false);
        return iAutoRec ? java.util.Optional.of(new IAutoRec(IAutoRecHyperParameters.fromSettings(settings)))
                : java.util.Optional.empty();
    }

    private static IllegalArgumentException offlineOnly() {
        return new IllegalArgumentException("i-autorec is trained offline on whole item vectors: it runs in "
                + "'evaluate --protocol holdout' only, not in the online trainer, scorer or prequential evaluation");
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
        if (kind == ModelKind.HYBRID) {
            return new HybridModel(HybridHyperParameters.fromSettings(settings));
        }
        if (kind == ModelKind.POPULAR) {
            return new PopularityModel(PopularityHyperParameters.fromSettings(settings));
        }
        if (kind == ModelKind.U_AUTOREC) {
            return new UAutoRecModel(UAutoRecHyperParameters.fromSettings(settings));
        }
        if (kind == ModelKind.I_AUTOREC) {
            throw new ConfigException(offlineOnly().getMessage() + settings.from(MfHyperParameters.Keys.TYPE));
        }
        return create(kind, MfHyperParameters.fromSettings(settings));
    }
}
