package io.streamrec.common.topic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFamiliesTest {

    @Test
    void theFirstFamilyKeepsTheSingleFamilyContractAndTheOthersGetTopicsAndSourcesOfTheirOwn() {
        Topics topics = new Topics("p-");
        ModelFamilies one = ModelFamilies.parse("mf");
        assertThat(one.factors(topics, "mf").name()).isEqualTo("p-factors");
        assertThat(one.metricsSource("mf", 1)).isEqualTo("trainer-1");

        ModelFamilies three = ModelFamilies.parse(" mf, dlplus ,popular");
        assertThat(three.first()).isEqualTo("mf");
        assertThat(three.factors(topics, "mf").name()).isEqualTo("p-factors");
        assertThat(three.factors(topics, "dlplus").name()).isEqualTo("p-factors-dlplus");
        assertThat(three.factorTopics(topics)).extracting(Topic::name)
                .containsExactly("p-factors", "p-factors-dlplus", "p-factors-popular");
        assertThat(three.metricsSource("popular", 0)).isEqualTo("popular/trainer-0");
        assertThat(ModelFamilies.familyOfSource("popular/trainer-0")).contains("popular");
        assertThat(ModelFamilies.familyOfSource("trainer-0")).isEmpty();
        assertThatThrownBy(() -> three.factors(topics, "u-autorec")).hasMessageContaining("not one of mf,dlplus,popular");
    }

    @Test
    void duplicatesEmptiesAndOddIdsAreRefused() {
        assertThatThrownBy(() -> ModelFamilies.parse("mf,mf")).hasMessageContaining("distinct");
        assertThatThrownBy(() -> ModelFamilies.parse("mf,,popular")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ModelFamilies.parse("MF/x")).hasMessageContaining("must match");
    }
}
