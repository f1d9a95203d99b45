package dev.segrel.core.index;

import dev.segrel.core.domain.ManifestationSlice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SliceCodecTest {

    @Test
    void aSliceSurvivesEncodingAndDecoding() {
        for (ManifestationSlice slice : new ManifestationSlice[] {
                SliceTestData.small("A 'é' 文"), SliceTestData.random("R", 3, 1_000), ManifestationSlice.empty("E")}) {
            assertThat(SliceCodec.decode(SliceCodec.encode(slice))).isEqualTo(slice);
        }
    }

    @Test
    void theEncodingIsCompact() {
        ManifestationSlice slice = SliceTestData.random("R", 3, 5_000);

        // ids written once each (~6 bytes) plus ~3 varints per segment and per link
        assertThat(SliceCodec.encode(slice).length).isLessThan(Math.toIntExact(slice.weight()) * 14);
    }

    @Test
    void anotherVersionOrTruncatedBytesAreRejected() {
        byte[] bytes = SliceCodec.encode(SliceTestData.small("A"));
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 9;

        assertThatThrownBy(() -> SliceCodec.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> SliceCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
