package io.litebit.reference.fixedpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The int8 and int16 lookup tables of TFLite's activation kernels. */
class LookupTablesTest {

    @Test
    void int8SigmoidTableEntriesAndOrder() {
        // LOGISTIC int8: input scale 0.1, zero point 0; output 1/256, -128 (TFLite fixes those).
        byte[] lut = LookupTables.populateInt8(0.1f, 0, 1f / 256, -128, LookupTables.SIGMOID);
        // q = 0: sigmoid(0) = 1 / (1 + 1) = 0.5; 0.5 * 256 = 128; 128 - 128 = 0. Index 0.
        assertThat(lut[0]).isEqualTo((byte) 0);
        // q = 20: 0.1f * 20 = 2.0f; 1 / (1 + expf(-2)) = 0.880797f; * 256 = 225.484 -> 225; -128 -> 97.
        assertThat(lut[20]).isEqualTo((byte) 97);
        assertThat(LookupTables.lookup((byte) 20, lut)).isEqualTo((byte) 97);
        // q = 127: 12.7 -> 0.999997 * 256 = 255.999 -> 256; 256 - 128 = 128 -> clamped to 127.
        assertThat(lut[127]).isEqualTo((byte) 127);
        // q = -128 sits at index 128 (the byte 0x80): sigmoid(-12.8) * 256 = 0.0007 -> 0 -> -128.
        assertThat(lut[128]).isEqualTo((byte) -128);
        assertThat(LookupTables.lookup((byte) -128, lut)).isEqualTo((byte) -128);
        // q = -20 at index 236: 1 - 0.880797 = 0.119203 * 256 = 30.516 -> 31; 31 - 128 = -97.
        assertThat(lut[236]).isEqualTo((byte) -97);
    }

    @Test
    void uint8TableUsesTheUnsignedRange() {
        // uint8 LOGISTIC: input scale 0.1, zero point 128; output 1/256, 0.
        byte[] lut = LookupTables.populateInt8(0.1f, 128, 1f / 256, 0, LookupTables.SIGMOID, true);
        // q = 128 is 0.0 -> 0.5 * 256 = 128.
        assertThat(lut[128] & 0xff).isEqualTo(128);
        // q = 148 is 2.0 -> 225.48 -> 225.
        assertThat(lut[148] & 0xff).isEqualTo(225);
        // q = 255 is 12.7 -> 255.999 -> 256 -> clamped to 255; q = 0 is -12.8 -> 0.
        assertThat(lut[255] & 0xff).isEqualTo(255);
        assertThat(lut[0] & 0xff).isEqualTo(0);
    }

    @Test
    void int8TanhTable() {
        // TANH int8: input scale 1/64, zero point 0; output 1/128, 0.
        byte[] lut = LookupTables.populateInt8(1f / 64, 0, 1f / 128, 0, LookupTables.TANH);
        // q = 64 is 1.0: tanhf(1) = 0.7615942 * 128 = 97.484 -> 97.
        assertThat(lut[64]).isEqualTo((byte) 97);
        // q = -64 (index 192): -97.484 -> -97 (roundf is symmetric).
        assertThat(lut[192]).isEqualTo((byte) -97);
        assertThat(lut[0]).isEqualTo((byte) 0);
    }

    @Test
    void int16LookupInterpolatesAndRoundsHalfUp() {
        // A ramp lut[i] = 64 i - 16384: slope 64 per segment of 128 inputs, i.e. y = x / 2.
        short[] lut = new short[513];
        for (int i = 0; i < lut.length; i++) {
            lut[i] = (short) (64 * i - 16384);
        }
        // v = 0: index 256 + 0, offset 0: base 0, delta (0 + 64) >> 7 = 0.
        assertThat(LookupTables.lookup((short) 0, lut)).isEqualTo((short) 0);
        // v = 1: offset 1, delta (64 + 64) >> 7 = 1 (0.5 rounds up).
        assertThat(LookupTables.lookup((short) 1, lut)).isEqualTo((short) 1);
        // v = -1: v >> 7 = -1, index 255, base -64, offset 127, delta (8128 + 64) >> 7 = 64 -> 0 (-0.5 up).
        assertThat(LookupTables.lookup((short) -1, lut)).isEqualTo((short) 0);
        // v = -3: base -64, offset 125, delta (8000 + 64) >> 7 = 63 -> -1 (-1.5 up).
        assertThat(LookupTables.lookup((short) -3, lut)).isEqualTo((short) -1);
        // v = 32767: index 511, base 16320, offset 127, delta 64 -> 16384 (lut[512] only gives the slope).
        assertThat(LookupTables.lookup(Short.MAX_VALUE, lut)).isEqualTo((short) 16384);
        // v = -32768: index 0, offset 0 -> -16384.
        assertThat(LookupTables.lookup(Short.MIN_VALUE, lut)).isEqualTo((short) -16384);
    }

    @Test
    void int16LookupSlopeWrapsInInt16LikeTflite() {
        short[] lut = new short[513];
        lut[0] = Short.MIN_VALUE;
        lut[1] = Short.MAX_VALUE;
        // slope = 32767 - (-32768) = 65535, stored in int16_t: -1. v = -32704 -> index 0, offset 64:
        // delta = (-1 * 64 + 64) >> 7 = 0 -> -32768 (not the midpoint, -1).
        assertThat(LookupTables.lookup((short) -32704, lut)).isEqualTo(Short.MIN_VALUE);
    }

    @Test
    void softmaxInt16ExpTable() {
        // SoftmaxPrepare's exp table: input scale 10/65535 with zero point 32767 ([-10, 0]),
        // output 2/65535 with zero point 0; built in double.
        double range = 65535;
        short[] exp = LookupTables.populateInt16(10.0 / range, 32767, 2.0 / range, 0, Math::exp);
        // input_max = 10/65535 * (32767 - 32767) = 0; exp(0) = 1; the output range is
        // 2/65535 * 32767 - 2/65535 * -32768 = 2.0, so the scaling is 65536 / 2 = 32768 and
        // the last entry round(32768) clamps to 32767.
        assertThat(exp[512]).isEqualTo(Short.MAX_VALUE);
        // The first sample is exp(-10) * 32768 = 1.49 (give or take the midpoint bias).
        assertThat(exp[0]).isBetween((short) 0, (short) 3);
        for (int i = 1; i < exp.length; i++) {
            assertThat(exp[i]).isGreaterThanOrEqualTo(exp[i - 1]);
        }
        // Looking up the centre of the input range (0 -> -5.0 real) gives exp(-5) * 32768 = 220.8.
        assertThat(LookupTables.lookup((short) 0, exp)).isBetween((short) 219, (short) 222);
    }

    @Test
    void int16ActivationScalingAsPrepareDerivesIt() {
        // 2^-12: log2 = -12, left shift (15 - 3) - 12 = 0 -> the power-of-two path for both.
        assertThat(LookupTables.int16ActivationScaling(0x1p-12f, false)).isEqualTo(new LookupTables.Int16ActivationScaling(0, 0));
        assertThat(LookupTables.int16ActivationScaling(0x1p-12f, true)).isEqualTo(new LookupTables.Int16ActivationScaling(0, 0));
        // 2^-11: left shift 1, a power-of-two case only for TANH.
        assertThat(LookupTables.int16ActivationScaling(0x1p-11f, true)).isEqualTo(new LookupTables.Int16ActivationScaling(0, 1));
        // For LOGISTIC: 2^-11 * 4096 * 3 = 6, doubled 12 times to 24576 (> 16383.5).
        assertThat(LookupTables.int16ActivationScaling(0x1p-11f, false)).isEqualTo(new LookupTables.Int16ActivationScaling(24576, 12));
        // 0.001f = 0.0010000000474974513: * 4096 * 3 = 12.288000583648682, doubled 11 times
        // = 25165.825... -> 25165, shift 11.
        assertThat(LookupTables.int16ActivationScaling(0.001f, false)).isEqualTo(new LookupTables.Int16ActivationScaling(25165, 11));
    }

    @Test
    void int16LogisticAndTanhFromTheSigmoidTable() {
        LookupTables.Int16ActivationScaling pot = new LookupTables.Int16ActivationScaling(0, 0);
        // 0: input 0 -> uh 0, ua 32768, ut 0: (32768 << 9) + 512 = 16777728; >> 10 = 16384 (0.5).
        assertThat(LookupTables.logisticInt16((short) 0, pot)).isEqualTo((short) 16384);
        // 1.0 (4096 at 2^-12): 4096 * 3 = 12288; uh = 12288 >> 9 = 24, ut = 0; table[24] = 47911;
        // (47911 << 9) + 512 = 24530944; >> 10 = 23956 (sigmoid(1) * 32768 = 23955.6).
        assertThat(LookupTables.logisticInt16((short) 4096, pot)).isEqualTo((short) 23956);
        // -1.0: 2^25 - 24530432 + 512 - 1 = 9024511; >> 10 = 8812 (0.26894 * 32768 = 8812.4).
        assertThat(LookupTables.logisticInt16((short) -4096, pot)).isEqualTo((short) 8812);
        // The top of the int16 range (8.0): 32767 * 3 = 98301, uh = 191, ut = 509;
        // table[191] = 65513, table[192] = 65514: (65513 << 9) + 509 * 1 = 33543165;
        // + 512 = 33543677; >> 10 = 32757 (sigmoid(8) * 32768 = 32757.0).
        assertThat(LookupTables.logisticInt16(Short.MAX_VALUE, pot)).isEqualTo((short) 32757);
        // With a scaling that pushes uh past 254 the kernel saturates to 0x7FFF.
        LookupTables.Int16ActivationScaling steep = new LookupTables.Int16ActivationScaling(32767, 0);
        assertThat(LookupTables.logisticInt16((short) 10, steep)).isEqualTo(Short.MAX_VALUE);

        // tanh(0) = 0: (32768 << 8) - 2^23 + 2^7 = 128; >> 8 = 0.
        assertThat(LookupTables.tanhInt16((short) 0, pot)).isEqualTo((short) 0);
        // tanh(1.0): 12288 >> 8 = 48, ut 0, table[48] = 57724: (57724 << 8) - 2^23 + 128 = 6388864;
        // >> 8 = 24956 (tanh(1) * 32768 = 24955.9).
        assertThat(LookupTables.tanhInt16((short) 4096, pot)).isEqualTo((short) 24956);
        // tanh(-1.0): -14777344 + 2^23 + 128 - 1 = -6388609; >> 8 (floor) = -24956.
        assertThat(LookupTables.tanhInt16((short) -4096, pot)).isEqualTo((short) -24956);

        // A general scale (0.001): input 1000 is 1.0; (1000 * 25165 + 1024) >> 11 = 12288 as above.
        LookupTables.Int16ActivationScaling general = LookupTables.int16ActivationScaling(0.001f, false);
        assertThat(LookupTables.logisticInt16((short) 1000, general)).isEqualTo((short) 23956);
    }

    @Test
    void sigmoidTableEnds() {
        assertThat(LookupTables.sigmoidTableUint16(0)).isEqualTo(32768);
        assertThat(LookupTables.sigmoidTableUint16(255)).isEqualTo(65535);
    }
}
