;; @imecd/metrics row counts: one pass over a row of float32 scores, counted with 128-bit SIMD.
;;
;; count(n, target) reads the n floats at byte offset 0 of this module's memory (the caller copies
;; one row there), returns how many are above `target` and leaves in the global `notLower` how
;; many are not below it (n minus those below: ties with the target, the target itself and NaNs;
;; the caller recounts a row where that exceeds higher + 1, as its JavaScript loop does).
;;
;; Compiled by scripts/compile-row-counts.mjs into src/row-counts-wasm.ts (a test checks that the
;; committed bytes are this file's).
(module
  (memory (export "memory") 1)
  (global $notLower (export "notLower") (mut i32) (i32.const 0))
  (func (export "count") (param $n i32) (param $target f32) (result i32)
    (local $byte i32) (local $end i32)
    (local $targets v128) (local $row v128)
    ;; lane counts as negated masks: a true comparison is -1 in its lane, so subtracting it adds 1
    (local $above v128) (local $below v128) (local $above2 v128) (local $below2 v128)
    (local $higher i32) (local $lower i32) (local $score f32)
    (local.set $targets (f32x4.splat (local.get $target)))
    ;; eight floats (two vectors, two independent accumulators) a turn
    (local.set $end (i32.shl (i32.shr_u (local.get $n) (i32.const 3)) (i32.const 5)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $byte) (local.get $end)))
        (local.set $row (v128.load (local.get $byte)))
        (local.set $above (i32x4.sub (local.get $above) (f32x4.gt (local.get $row) (local.get $targets))))
        (local.set $below (i32x4.sub (local.get $below) (f32x4.lt (local.get $row) (local.get $targets))))
        (local.set $row (v128.load offset=16 (local.get $byte)))
        (local.set $above2 (i32x4.sub (local.get $above2) (f32x4.gt (local.get $row) (local.get $targets))))
        (local.set $below2 (i32x4.sub (local.get $below2) (f32x4.lt (local.get $row) (local.get $targets))))
        (local.set $byte (i32.add (local.get $byte) (i32.const 32)))
        (br $vectors)))
    (local.set $above (i32x4.add (local.get $above) (local.get $above2)))
    (local.set $below (i32x4.add (local.get $below) (local.get $below2)))
    (local.set $higher
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $above)) (i32x4.extract_lane 1 (local.get $above)))
        (i32.add (i32x4.extract_lane 2 (local.get $above)) (i32x4.extract_lane 3 (local.get $above)))))
    (local.set $lower
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $below)) (i32x4.extract_lane 1 (local.get $below)))
        (i32.add (i32x4.extract_lane 2 (local.get $below)) (i32x4.extract_lane 3 (local.get $below)))))
    ;; the last n mod 8 floats one at a time
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $scalarsDone
      (loop $scalars
        (br_if $scalarsDone (i32.ge_u (local.get $byte) (local.get $end)))
        (local.set $score (f32.load (local.get $byte)))
        (local.set $higher (i32.add (local.get $higher) (f32.gt (local.get $score) (local.get $target))))
        (local.set $lower (i32.add (local.get $lower) (f32.lt (local.get $score) (local.get $target))))
        (local.set $byte (i32.add (local.get $byte) (i32.const 4)))
        (br $scalars)))
    (global.set $notLower (i32.sub (local.get $n) (local.get $lower)))
    (local.get $higher)))
