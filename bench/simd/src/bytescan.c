/* bytescan: byte scanning with 128-bit SIMD, written with explicit
 * <wasm_simd128.h> intrinsics (a plain scalar version of each function is used
 * when built without -msimd128). Over a generated text buffer, every pass runs:
 *   count  - count one byte ('\n'): i8x16.eq, i8x16.sub into byte counters,
 *            widened with extadd_pairwise every 255 blocks
 *   find   - memchr-style: every position of 'q' (i8x16.bitmask, then ctz)
 *   upper  - ASCII upper-casing into a second buffer (u8 compare, and, sub, store)
 *   sum    - byte sum of the upper-cased buffer (u8 -> u16 -> u32 pairwise adds)
 * Each pass starts at a different offset (0..15: unaligned loads, and different
 * results, so no pass can be hoisted). The first pass is recomputed with the plain
 * scalar functions (loop vectorisation disabled) and compared: "check=ok".
 * usage: bytescan [PASSES [KIB]]   (defaults PASSES = 100, KIB = 1024)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

typedef struct {
    uint64_t lines, qcount, qpos, upper;
} result;

/* The scalar reference (also the whole program without SIMD). */
__attribute__((noinline)) static uint64_t ref_count(const uint8_t *p, size_t n, uint8_t c)
{
    uint64_t t = 0;
#pragma clang loop vectorize(disable) interleave(disable)
    for (size_t i = 0; i < n; i++)
        t += p[i] == c;
    return t;
}

__attribute__((noinline)) static uint64_t ref_find(const uint8_t *p, size_t n, uint8_t c,
                                                   uint64_t *count)
{
    uint64_t s = 0, k = 0;
#pragma clang loop vectorize(disable) interleave(disable)
    for (size_t i = 0; i < n; i++)
        if (p[i] == c) {
            s += i;
            k++;
        }
    *count = k;
    return s;
}

__attribute__((noinline)) static void ref_upper(uint8_t *d, const uint8_t *p, size_t n)
{
#pragma clang loop vectorize(disable) interleave(disable)
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)(p[i] - 'a') <= 25 ? p[i] - 32 : p[i];
}

__attribute__((noinline)) static uint64_t ref_sum(const uint8_t *p, size_t n)
{
    uint64_t s = 0;
#pragma clang loop vectorize(disable) interleave(disable)
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

#ifdef __wasm_simd128__
static uint64_t hsum_u32x4(v128_t v)
{
    return (uint64_t)wasm_u32x4_extract_lane(v, 0) + wasm_u32x4_extract_lane(v, 1) +
           wasm_u32x4_extract_lane(v, 2) + wasm_u32x4_extract_lane(v, 3);
}

__attribute__((noinline)) static uint64_t simd_count(const uint8_t *p, size_t n, uint8_t c)
{
    const v128_t needle = wasm_i8x16_splat((int8_t)c);
    uint64_t t = 0;
    size_t i = 0;
    while (n - i >= 16) {
        size_t blocks = (n - i) / 16;
        if (blocks > 255)
            blocks = 255;
        v128_t acc = wasm_i8x16_splat(0);
        for (size_t b = 0; b < blocks; b++, i += 16)
            acc = wasm_i8x16_sub(acc, wasm_i8x16_eq(wasm_v128_load(p + i), needle));
        t += hsum_u32x4(wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(acc)));
    }
    for (; i < n; i++)
        t += p[i] == c;
    return t;
}

__attribute__((noinline)) static uint64_t simd_find(const uint8_t *p, size_t n, uint8_t c,
                                                    uint64_t *count)
{
    const v128_t needle = wasm_i8x16_splat((int8_t)c);
    uint64_t s = 0, k = 0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        v128_t eq = wasm_i8x16_eq(wasm_v128_load(p + i), needle);
        if (!wasm_v128_any_true(eq))
            continue;
        uint32_t m = wasm_i8x16_bitmask(eq);
        while (m) {
            s += i + (uint32_t)__builtin_ctz(m);
            k++;
            m &= m - 1;
        }
    }
    for (; i < n; i++)
        if (p[i] == c) {
            s += i;
            k++;
        }
    *count = k;
    return s;
}

__attribute__((noinline)) static void simd_upper(uint8_t *d, const uint8_t *p, size_t n)
{
    const v128_t a = wasm_i8x16_splat('a'), z = wasm_i8x16_splat(25), bit = wasm_i8x16_splat(32);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        v128_t v = wasm_v128_load(p + i);
        v128_t lower = wasm_u8x16_le(wasm_i8x16_sub(v, a), z);
        wasm_v128_store(d + i, wasm_i8x16_sub(v, wasm_v128_and(lower, bit)));
    }
    for (; i < n; i++)
        d[i] = (uint8_t)(p[i] - 'a') <= 25 ? p[i] - 32 : p[i];
}

__attribute__((noinline)) static uint64_t simd_sum(const uint8_t *p, size_t n)
{
    v128_t acc32 = wasm_i32x4_splat(0);
    size_t i = 0;
    while (n - i >= 16) {
        size_t blocks = (n - i) / 16;
        if (blocks > 128) /* 128 * 2 * 255 fits a u16 lane */
            blocks = 128;
        v128_t acc16 = wasm_i16x8_splat(0);
        for (size_t b = 0; b < blocks; b++, i += 16)
            acc16 = wasm_i16x8_add(acc16, wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(p + i)));
        acc32 = wasm_i32x4_add(acc32, wasm_u32x4_extadd_pairwise_u16x8(acc16));
    }
    uint64_t s = hsum_u32x4(acc32);
    for (; i < n; i++)
        s += p[i];
    return s;
}
#else
#define simd_count ref_count
#define simd_find ref_find
#define simd_upper ref_upper
#define simd_sum ref_sum
#endif

static void pass(result *r, uint8_t *up, const uint8_t *p, size_t n, int simd)
{
    if (simd) {
        r->lines = simd_count(p, n, '\n');
        r->qpos = simd_find(p, n, 'q', &r->qcount);
        simd_upper(up, p, n);
        r->upper = simd_sum(up, n);
    } else {
        r->lines = ref_count(p, n, '\n');
        r->qpos = ref_find(p, n, 'q', &r->qcount);
        ref_upper(up, p, n);
        r->upper = ref_sum(up, n);
    }
}

int main(int argc, char **argv)
{
    int passes = argc > 1 ? atoi(argv[1]) : 100;
    int kib = argc > 2 ? atoi(argv[2]) : 1024;
    if (passes < 1 || kib < 1 || kib > 65536) {
        fprintf(stderr, "bytescan: bad arguments\n");
        return 2;
    }
    size_t n = (size_t)kib * 1024;
    uint8_t *buf = malloc(n + 16), *up = malloc(n + 16);
    if (!buf || !up)
        return 3;
    /* Text-like bytes: words of mixed-case letters, spaces, punctuation, newlines. */
    uint32_t x = 12345;
    static const char punct[] = ".,;:!?-'\"()0123456789";
    for (size_t i = 0; i < n + 16; i++) {
        x = x * 1664525u + 1013904223u;
        uint32_t r = x >> 24;
        if (r < 30)
            buf[i] = ' ';
        else if (r < 33)
            buf[i] = '\n';
        else if (r < 41)
            buf[i] = (uint8_t)punct[(x >> 8) % (sizeof punct - 1)];
        else if (r < 76)
            buf[i] = (uint8_t)('A' + (x >> 8) % 26);
        else
            buf[i] = (uint8_t)('a' + (x >> 8) % 26);
    }
    result r, ref;
    pass(&ref, up, buf, n, 0);
    uint64_t lines = 0, qcount = 0, qpos = 0, upper = 0, h = 0;
    for (int i = 0; i < passes; i++) {
        pass(&r, up, buf + (i & 15), n, 1);
        if (i == 0 && (r.lines != ref.lines || r.qcount != ref.qcount || r.qpos != ref.qpos ||
                       r.upper != ref.upper)) {
            printf("bytescan: SIMD and scalar results differ\n");
            return 1;
        }
        lines += r.lines;
        qcount += r.qcount;
        qpos += r.qpos;
        upper += r.upper;
        h = (h ^ r.lines ^ (r.qpos << 7) ^ (r.upper << 17)) * 0x100000001b3ull;
    }
    printf("bytescan passes=%d kib=%d lines=%llu q=%llu qpos=%llu upper=%llu hash=%016llx check=ok\n",
           passes, kib, (unsigned long long)lines, (unsigned long long)qcount,
           (unsigned long long)qpos, (unsigned long long)upper, (unsigned long long)h);
    free(buf);
    free(up);
    return 0;
}
