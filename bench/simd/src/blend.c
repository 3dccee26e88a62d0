/* blend: 8-bit image compositing in plain C loops that clang vectorises with
 * -msimd128 into widening u8 -> u16 arithmetic (extend, i16x8 multiply, shifts,
 * narrowing), no intrinsics; the same source is the scalar build without it.
 * A W x H image of three 8-bit planes (R, G, B) and a per-pixel alpha plane.
 * Every pass:
 *   blend   - dst = (src * a + dst * (255 - a)) / 255, rounded, per plane
 *             (the division is the exact (t + 1 + (t >> 8)) >> 8 of t + 128)
 *   luma    - y = (77 R + 150 G + 29 B) >> 8 into a fourth plane
 *   sum     - the sum of the luma plane (u8 -> u32 reduction)
 *   fade    - a = a ^ 0x5a + saturated add of a ramp (changes the alpha plane)
 * usage: blend [PASSES [W [H]]]   (defaults PASSES = 50, W = 512, H = 512)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void blend_plane(uint8_t *restrict dst, const uint8_t *restrict src,
                                                  const uint8_t *restrict a, int n)
{
    for (int i = 0; i < n; i++) {
        /* at most 255 * 255 + 128: 16-bit arithmetic (i16x8 lanes) is exact */
        uint16_t t = (uint16_t)((uint16_t)(src[i] * a[i]) + (uint16_t)(dst[i] * (255 - a[i])) + 128);
        dst[i] = (uint8_t)((uint16_t)(t + 1 + (t >> 8)) >> 8);
    }
}

__attribute__((noinline)) static void luma(uint8_t *restrict y, const uint8_t *restrict r,
                                           const uint8_t *restrict g, const uint8_t *restrict b,
                                           int n)
{
    for (int i = 0; i < n; i++)
        y[i] = (uint8_t)((uint16_t)((uint16_t)(77 * r[i]) + (uint16_t)(150 * g[i]) +
                                    (uint16_t)(29 * b[i])) >> 8);
}

__attribute__((noinline)) static uint32_t sum(const uint8_t *p, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++)
        s += p[i];
    return s;
}

__attribute__((noinline)) static void fade(uint8_t *restrict a, const uint8_t *restrict ramp, int n)
{
    for (int i = 0; i < n; i++) {
        uint32_t v = (uint32_t)(a[i] ^ 0x5a) + ramp[i];
        a[i] = (uint8_t)(v > 255u ? 255u : v);
    }
}

int main(int argc, char **argv)
{
    int passes = argc > 1 ? atoi(argv[1]) : 50;
    int w = argc > 2 ? atoi(argv[2]) : 512;
    int h = argc > 3 ? atoi(argv[3]) : 512;
    if (passes < 1 || w < 1 || h < 1 || (long)w * h > (1L << 24)) {
        fprintf(stderr, "blend: bad arguments\n");
        return 2;
    }
    int n = w * h;
    /* planes: src R G B, dst R G B, alpha, ramp, luma */
    uint8_t *m = malloc((size_t)n * 9);
    if (!m)
        return 3;
    uint8_t *src = m, *dst = m + 3 * (size_t)n, *alpha = m + 6 * (size_t)n,
            *ramp = m + 7 * (size_t)n, *y = m + 8 * (size_t)n;
    uint32_t x = 88172645u;
    for (int p = 0; p < 3; p++)
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++) {
                x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                size_t k = (size_t)p * n + (size_t)j * w + i;
                src[k] = (uint8_t)((i * (p + 1) + j * 3) ^ (x & 15));
                dst[k] = (uint8_t)(x >> 24);
            }
    for (int k = 0; k < n; k++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        alpha[k] = (uint8_t)(x >> 16);
        ramp[k] = (uint8_t)(k % w * 7);
    }
    uint64_t total = 0;
    uint32_t hash = 2166136261u;
    for (int p = 0; p < passes; p++) {
        for (int c = 0; c < 3; c++)
            blend_plane(dst + (size_t)c * n, src + (size_t)c * n, alpha, n);
        luma(y, dst, dst + n, dst + 2 * (size_t)n, n);
        uint32_t s = sum(y, n);
        fade(alpha, ramp, n);
        total += s;
        hash = (hash ^ s) * 16777619u;
    }
    uint32_t d = 0;
    for (size_t k = 0; k < 3 * (size_t)n; k++)
        d = d * 31u + dst[k];
    printf("blend passes=%d w=%d h=%d total=%llu hash=%08x image=%08x\n", passes, w, h,
           (unsigned long long)total, hash, d);
    free(m);
    return 0;
}
