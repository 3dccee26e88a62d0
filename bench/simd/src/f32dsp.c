/* f32dsp: single-precision array arithmetic in plain C loops that clang's
 * vectorisers turn into f32x4 code with -msimd128 (no intrinsics; the same
 * source is the scalar build without it). Every pass, over arrays of N floats:
 *   saxpy  - y[i] = a * x[i] + y[i]                 (loop vectoriser)
 *   fir    - z[i] = sum over 16 taps h[k] * y[i + k] (outer loop over k, inner
 *            loop over i: unaligned f32x4 loads)
 *   dot    - sum of x[i] * z[i] into 8 explicit partial sums (SLP vectoriser)
 *   scale  - x[i] = x[i] * s + t[i & 63], clamped to [-1, 1] (compare and select)
 * All operations happen in the same order with or without SIMD (the dot product's
 * 8 partial sums are in the source; wasm has no fused multiply-add), so both
 * builds, and a native one, print the same bits.
 * usage: f32dsp [PASSES [N]]   (defaults PASSES = 400, N = 16384)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAPS 16

__attribute__((noinline)) static void saxpy(float *restrict y, const float *restrict x, float a,
                                            int n)
{
    for (int i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
}

__attribute__((noinline)) static void fir(float *restrict z, const float *restrict y,
                                          const float *restrict h, int n)
{
    for (int i = 0; i < n; i++)
        z[i] = 0.0f;
    for (int k = 0; k < TAPS; k++) {
        float hk = h[k];
        for (int i = 0; i < n; i++)
            z[i] += hk * y[i + k];
    }
}

__attribute__((noinline)) static float dot(const float *restrict x, const float *restrict z, int n)
{
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < n; i += 8)
        for (int j = 0; j < 8; j++)
            s[j] += x[i + j] * z[i + j];
    return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

__attribute__((noinline)) static void scale(float *restrict x, const float *restrict t, float s,
                                            int n)
{
    for (int i = 0; i < n; i++) {
        float v = x[i] * s + t[i & 63];
        v = v < -1.0f ? -1.0f : v;
        x[i] = v > 1.0f ? 1.0f : v;
    }
}

static uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

int main(int argc, char **argv)
{
    int passes = argc > 1 ? atoi(argv[1]) : 400;
    int n = argc > 2 ? atoi(argv[2]) : 16384;
    if (passes < 1 || n < 8 || n > (1 << 24) || n % 8) {
        fprintf(stderr, "f32dsp: bad arguments (N must be a multiple of 8)\n");
        return 2;
    }
    float *x = malloc(sizeof(float) * n), *y = malloc(sizeof(float) * (n + TAPS)),
          *z = malloc(sizeof(float) * n);
    float h[TAPS], t[64];
    if (!x || !y || !z)
        return 3;
    uint32_t r = 2463534242u;
#define RND() (r ^= r << 13, r ^= r >> 17, r ^= r << 5, (float)(int32_t)(r >> 8) / 16777216.0f - 0.5f)
    for (int i = 0; i < n; i++)
        x[i] = RND();
    for (int i = 0; i < n + TAPS; i++)
        y[i] = RND();
    for (int k = 0; k < TAPS; k++)
        h[k] = RND() * 0.25f;
    for (int i = 0; i < 64; i++)
        t[i] = RND() * 0.01f;
    double total = 0.0;
    uint32_t hash = 2166136261u;
    for (int p = 0; p < passes; p++) {
        float a = (p & 1) ? -0.5f : 0.5f;
        saxpy(y, x, a, n);
        fir(z, y, h, n);
        float d = dot(x, z, n);
        scale(x, t, 0.99f, n);
        total += d;
        hash = (hash ^ bits(d)) * 16777619u;
    }
    float s = 0.0f;
    for (int i = 0; i < n; i++)
        s += x[i] + y[i] + z[i];
    printf("f32dsp passes=%d n=%d total=%.9g final=%08x hash=%08x\n", passes, n, total, bits(s),
           hash);
    free(x);
    free(y);
    free(z);
    return 0;
}
