;; SIMD (fixed-width and relaxed) for SIMDTests.swift: one export per instruction family,
;; and v128 values through globals, locals, blocks, calls, host functions and exceptions.
(module
  (import "host" "swap" (func $swap (param i32 v128 f64) (result v128 i32)))
  (memory (export "memory") 1)
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (global $k v128 (v128.const i64x2 -1 7))
  (tag $t (param i32 v128 i64))

  ;; Lane access
  (func (export "extract_s") (param v128) (result i32) (i8x16.extract_lane_s 15 (local.get 0)))
  (func (export "extract_u") (param v128) (result i32) (i8x16.extract_lane_u 15 (local.get 0)))
  (func (export "replace") (param v128 i32) (result v128) (i16x8.replace_lane 7 (local.get 0) (local.get 1)))
  (func (export "splat_f64") (param f64) (result v128) (f64x2.splat (local.get 0)))
  (func (export "extract_f32") (param v128) (result f32) (f32x4.extract_lane 3 (local.get 0)))

  ;; Integer arithmetic
  (func (export "i8_add_sat_s") (param v128 v128) (result v128) (i8x16.add_sat_s (local.get 0) (local.get 1)))
  (func (export "i8_sub_sat_u") (param v128 v128) (result v128) (i8x16.sub_sat_u (local.get 0) (local.get 1)))
  (func (export "i16_mul") (param v128 v128) (result v128) (i16x8.mul (local.get 0) (local.get 1)))
  (func (export "i32_min_s") (param v128 v128) (result v128) (i32x4.min_s (local.get 0) (local.get 1)))
  (func (export "i32_max_u") (param v128 v128) (result v128) (i32x4.max_u (local.get 0) (local.get 1)))
  (func (export "i8_avgr_u") (param v128 v128) (result v128) (i8x16.avgr_u (local.get 0) (local.get 1)))
  (func (export "i8_abs") (param v128) (result v128) (i8x16.abs (local.get 0)))
  (func (export "i64_mul") (param v128 v128) (result v128) (i64x2.mul (local.get 0) (local.get 1)))
  (func (export "q15mulr") (param v128 v128) (result v128) (i16x8.q15mulr_sat_s (local.get 0) (local.get 1)))
  (func (export "dot") (param v128 v128) (result v128) (i32x4.dot_i16x8_s (local.get 0) (local.get 1)))
  (func (export "extmul_high_u") (param v128 v128) (result v128) (i32x4.extmul_high_i16x8_u (local.get 0) (local.get 1)))
  (func (export "extadd_s") (param v128) (result v128) (i16x8.extadd_pairwise_i8x16_s (local.get 0)))
  (func (export "popcnt") (param v128) (result v128) (i8x16.popcnt (local.get 0)))
  (func (export "i32_shl") (param v128 i32) (result v128) (i32x4.shl (local.get 0) (local.get 1)))
  (func (export "i8_shr_s") (param v128 i32) (result v128) (i8x16.shr_s (local.get 0) (local.get 1)))
  (func (export "i64_shr_u") (param v128 i32) (result v128) (i64x2.shr_u (local.get 0) (local.get 1)))

  ;; Narrow and extend
  (func (export "narrow_s") (param v128 v128) (result v128) (i8x16.narrow_i16x8_s (local.get 0) (local.get 1)))
  (func (export "narrow_u") (param v128 v128) (result v128) (i16x8.narrow_i32x4_u (local.get 0) (local.get 1)))
  (func (export "extend_high_s") (param v128) (result v128) (i64x2.extend_high_i32x4_s (local.get 0)))

  ;; Compares and reductions
  (func (export "i8_lt_s") (param v128 v128) (result v128) (i8x16.lt_s (local.get 0) (local.get 1)))
  (func (export "i64_ge_s") (param v128 v128) (result v128) (i64x2.ge_s (local.get 0) (local.get 1)))
  (func (export "f32_eq") (param v128 v128) (result v128) (f32x4.eq (local.get 0) (local.get 1)))
  (func (export "bitmask") (param v128) (result i32) (i8x16.bitmask (local.get 0)))
  (func (export "all_true") (param v128) (result i32) (i32x4.all_true (local.get 0)))
  (func (export "any_true") (param v128) (result i32) (v128.any_true (local.get 0)))
  (func (export "bitselect") (param v128 v128 v128) (result v128) (v128.bitselect (local.get 0) (local.get 1) (local.get 2)))

  ;; Floats
  (func (export "f32_min") (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))
  (func (export "f64_max") (param v128 v128) (result v128) (f64x2.max (local.get 0) (local.get 1)))
  (func (export "f32_pmin") (param v128 v128) (result v128) (f32x4.pmin (local.get 0) (local.get 1)))
  (func (export "f32_nearest") (param v128) (result v128) (f32x4.nearest (local.get 0)))
  (func (export "f64_floor") (param v128) (result v128) (f64x2.floor (local.get 0)))
  (func (export "f32_sqrt") (param v128) (result v128) (f32x4.sqrt (local.get 0)))
  (func (export "f64_div") (param v128 v128) (result v128) (f64x2.div (local.get 0) (local.get 1)))
  (func (export "trunc_sat_s") (param v128) (result v128) (i32x4.trunc_sat_f32x4_s (local.get 0)))
  (func (export "trunc_sat_u_zero") (param v128) (result v128) (i32x4.trunc_sat_f64x2_u_zero (local.get 0)))
  (func (export "convert_u") (param v128) (result v128) (f32x4.convert_i32x4_u (local.get 0)))
  (func (export "convert_low_s") (param v128) (result v128) (f64x2.convert_low_i32x4_s (local.get 0)))
  (func (export "demote") (param v128) (result v128) (f32x4.demote_f64x2_zero (local.get 0)))
  (func (export "promote") (param v128) (result v128) (f64x2.promote_low_f32x4 (local.get 0)))

  ;; Shuffles
  (func (export "shuffle") (param v128 v128) (result v128)
    (i8x16.shuffle 0 16 1 17 2 18 3 19 31 30 29 28 15 14 13 12 (local.get 0) (local.get 1)))
  (func (export "swizzle") (param v128 v128) (result v128) (i8x16.swizzle (local.get 0) (local.get 1)))

  ;; Memory
  (func (export "store") (param i32 v128) (v128.store offset=1 (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result v128) (v128.load offset=1 (local.get 0)))
  (func (export "load8x8_s") (param i32) (result v128) (v128.load8x8_s (local.get 0)))
  (func (export "load16_splat") (param i32) (result v128) (v128.load16_splat (local.get 0)))
  (func (export "load32_zero") (param i32) (result v128) (v128.load32_zero (local.get 0)))
  (func (export "load64_lane") (param i32 v128) (result v128) (v128.load64_lane 1 (local.get 0) (local.get 1)))
  (func (export "store8_lane") (param i32 v128) (v128.store8_lane 5 (local.get 0) (local.get 1)))

  ;; Relaxed SIMD (deterministic profile)
  (func (export "relaxed_swizzle") (param v128 v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
  (func (export "relaxed_trunc_u") (param v128) (result v128) (i32x4.relaxed_trunc_f32x4_u (local.get 0)))
  (func (export "relaxed_madd") (param v128 v128 v128) (result v128) (f64x2.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "relaxed_nmadd") (param v128 v128 v128) (result v128) (f32x4.relaxed_nmadd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "relaxed_laneselect") (param v128 v128 v128) (result v128) (i32x4.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "relaxed_min") (param v128 v128) (result v128) (f32x4.relaxed_min (local.get 0) (local.get 1)))
  (func (export "relaxed_q15mulr") (param v128 v128) (result v128) (i16x8.relaxed_q15mulr_s (local.get 0) (local.get 1)))
  (func (export "relaxed_dot") (param v128 v128) (result v128) (i16x8.relaxed_dot_i8x16_i7x16_s (local.get 0) (local.get 1)))
  (func (export "relaxed_dot_add") (param v128 v128 v128) (result v128) (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2)))

  ;; v128 values through the rest of the language
  (func (export "global_add") (param v128) (result v128)
    (global.set $g (i32x4.add (global.get $g) (local.get 0)))
    (global.get $g))
  (func (export "const_global") (result v128) (global.get $k))
  (func (export "select") (param v128 v128 i32) (result v128) (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fresh_local") (result v128) (local v128) (local.get 0))
  ;; A v128 between scalars through block parameters, br_table and a mixed call.
  (func $mixed (param i32 v128 i64) (result i64 v128 i32)
    (local.get 2) (local.get 1) (local.get 0))
  (func (export "blocks") (param i32 v128 i64 i32) (result i64 v128 i32)
    (local.get 0) (local.get 1) (local.get 2)
    (block $b (param i32 v128 i64) (result i64 v128 i32)
      (call $mixed)
      (block $c (param i64 v128 i32) (result i64 v128 i32)
        (local.get 3)
        (br_table $b $c))
      (drop) (drop) (drop)
      (i64.const 0) (v128.const i32x4 0 0 0 0) (i32.const 0)))
  (func (export "host") (param v128) (result v128 i32)
    (call $swap (i32.const 5) (local.get 0) (f64.const 2.5)))
  (func (export "throw_catch") (param v128) (result i32 v128 i64)
    (block $h (result i32 v128 i64)
      (try_table (catch $t $h)
        (throw $t (i32.const 3) (local.get 0) (i64.const -9)))
      (unreachable)))
  (func (export "throw") (param v128) (throw $t (i32.const 1) (local.get 0) (i64.const 2)))
;; Constants in a loop get frame slots filled once per call: a v128 takes two, equal
  ;; v128 constants share them, and a scalar equal to half of one gets its own.
  (func (export "loop_consts") (param i32) (result v128 i32)
    (local $acc v128) (local $s i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (local.set $acc (i32x4.add (local.get $acc) (v128.const i32x4 1 2 3 4)))
        (local.set $acc (i32x4.sub (local.get $acc) (v128.const i32x4 1 2 3 4)))
        (local.set $acc (i32x4.add (local.get $acc) (v128.const i32x4 2 0 0 7)))
        (local.set $s (i32.add (local.get $s)
          (select (i32.const 2) (i32.const 3) (i32.and (local.get 0) (i32.const 1)))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (local.get $acc) (local.get $s))
  ;; A loop of vector work: sums the i32x4 lanes 0..n-1 of each lane's own sequence.
  (func (export "loop") (param i32) (result v128)
    (local $acc v128) (local $step v128)
    (local.set $step (v128.const i32x4 0 1 2 3))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (local.set $acc (i32x4.add (local.get $acc) (local.get $step)))
        (local.set $step (i32x4.add (local.get $step) (v128.const i32x4 1 1 1 1)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (local.get $acc))
)
