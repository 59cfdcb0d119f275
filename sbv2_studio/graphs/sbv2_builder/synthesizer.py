"""The SBV2 synthesizer's inference pass (VITS2 with BERT and style conditioning) written as an ONNX graph.

Written from the architecture: text encoder (embeddings + projected BERT features + projected style vector,
a stack of relative-position self-attention layers), a deterministic and a stochastic duration predictor
(the latter a chain of rational-quadratic spline flows, run backwards from noise), a monotonic alignment built
from the rounded-up durations, a coupling flow of attention stacks (run backwards) and the HiFi-GAN decoder.

Inputs and outputs are those of the SBV2 ONNX exports, so the graph is a drop-in replacement:
inputs x_tst, x_tst_lengths, sid, tones, language, bert (and ja_bert, en_bert before JP-Extra), style_vec,
length_scale, sdp_ratio, noise_scale, noise_scale_w; outputs output, attn, y_mask, z_latent, z_p, m_p, logs_p (in that
order: graphs/split.py finds the decoder's input as the Mul of outputs 3 and 2).
"""

from __future__ import annotations

import math

import numpy as np
import onnx
from onnx import helper

from .spec import (
    BERT_DIM,
    COND_LAYER,
    DP_FILTER,
    DP_KERNEL,
    FLOW_KERNEL,
    N_FLOWS,
    SDP_DDS_LAYERS,
    SDP_KERNEL,
    SPLINE_BINS,
    SPLINE_TAIL,
    STYLE_DIM,
    WINDOW,
    SynthSpec,
)
from .writer import FLOAT, INT64, CheckpointMismatch, GraphWriter, Weights, tensor_info

OPSET = 17
LRELU_SLOPE = 0.1
LN_EPS = 1e-5
MIN_BIN_WIDTH = MIN_BIN_HEIGHT = MIN_DERIVATIVE = 1e-3


class _Builder:
    def __init__(self, spec: SynthSpec, weights: Weights):
        self.s = spec
        self.W = weights
        self.model = onnx.ModelProto()
        self.g = GraphWriter(self.model.graph)

    # --- primitives -------------------------------------------------------------------------------------------

    def op(self, *args, **kwargs):
        return self.g.op(*args, **kwargs)

    def c(self, value) -> str:
        return self.g.const(value)

    def slice(self, x: str, axis: int, start: int, end: int) -> str:
        return self.op("Slice", x, self.g.ints(start), self.g.ints(end), self.g.ints(axis))

    def unsqueeze(self, x: str, *axes: int) -> str:
        return self.op("Unsqueeze", x, self.g.ints(*axes))

    def squeeze(self, x: str, *axes: int) -> str:
        return self.op("Squeeze", x, self.g.ints(*axes))

    def conv(self, x, prefix, cin, cout, k, *, dilation=1, groups=1, pads=None, bias=True, out=None):
        """Conv1d over [B, C, T] with the checkpoint's (possibly weight-normed) weight."""
        weight = self.W.conv_weight(prefix, (cout, cin // groups, k))
        inputs = [x, self.g.initializer(f"{prefix}.weight", weight)]
        if bias:
            inputs.append(self.g.initializer(f"{prefix}.bias", self.W.get(f"{prefix}.bias", (cout,))))
        if pads is None:
            pads = [(k * dilation - dilation) // 2] * 2
        attrs = dict(kernel_shape=[k], pads=list(pads), dilations=[dilation], group=groups, strides=[1])
        return self.op("Conv", *inputs, outputs=[out] if out else None, **attrs)

    def linear(self, x, prefix, cin, cout):
        """x [..., cin] → [..., cout]; the weight is stored transposed for MatMul."""
        weight = self.W.get(f"{prefix}.weight", (cout, cin))
        y = self.op("MatMul", x, self.g.initializer(f"{prefix}.weight_t", np.ascontiguousarray(weight.T)))
        return self.op("Add", y, self.g.initializer(f"{prefix}.bias", self.W.get(f"{prefix}.bias", (cout,))))

    def layer_norm(self, x, prefix, channels):
        """Normalise over the channel axis of [B, C, T] (biased variance, eps 1e-5), then scale and shift."""
        gamma = self.W.get(f"{prefix}.gamma", (channels,)).reshape(channels, 1)
        beta = self.W.get(f"{prefix}.beta", (channels,)).reshape(channels, 1)
        mean = self.op("ReduceMean", x, axes=[1], keepdims=1)
        centred = self.op("Sub", x, mean)
        var = self.op("ReduceMean", self.op("Mul", centred, centred), axes=[1], keepdims=1)
        normed = self.op("Div", centred, self.op("Sqrt", self.op("Add", var, self.c(LN_EPS))))
        scaled = self.op("Mul", normed, self.g.initializer(f"{prefix}.gamma", gamma))
        return self.op("Add", scaled, self.g.initializer(f"{prefix}.beta", beta))

    def gelu(self, x):
        """Exact GELU: x · ½(1 + erf(x/√2)) (ONNX has no Gelu before opset 20)."""
        erf = self.op("Erf", self.op("Div", x, self.c(math.sqrt(2.0))))
        return self.op("Mul", self.op("Mul", x, self.c(0.5)), self.op("Add", erf, self.c(1.0)))

    def flip_channels(self, x, channels):
        return self.op("Gather", x, self.g.ints(*range(channels - 1, -1, -1)), axis=1)

    def length_of(self, x, axis: int = 2):
        """Scalar int64: the size of `x` along `axis`."""
        return self.squeeze(self.op("Shape", x, start=axis, end=axis + 1), 0)

    def sequence_mask(self, lengths, max_len):
        """lengths [B] int64, max_len scalar int64 → float mask [B, 1, T]."""
        steps = self.op("Range", self.g.const(0, np.int64), max_len, self.g.const(1, np.int64))
        inside = self.op("Less", self.unsqueeze(steps, 0), self.unsqueeze(lengths, 1))
        return self.unsqueeze(self.op("Cast", inside, to=FLOAT), 1)

    # --- attention stacks -------------------------------------------------------------------------------------

    def relative_offsets(self, x):
        """float [T, T] with entry (i, j) = j − i, for the relative-position terms."""
        t = self.op("Cast", self.length_of(x), to=FLOAT)
        steps = self.op("Range", self.c(0.0), t, self.c(1.0))
        return self.op("Sub", self.unsqueeze(steps, 0), self.unsqueeze(steps, 1))

    def attention(self, x, prefix, masked_out, offsets):
        """Multi-head self-attention with learned relative-position embeddings for offsets −W..W (shared by the
        heads) added to the keys (logits) and to the values (outputs); offsets beyond the window add nothing."""
        C, H = self.s.hidden_channels, self.s.n_heads
        kc = C // H
        q = self.conv(x, f"{prefix}.conv_q", C, C, 1)
        k = self.conv(x, f"{prefix}.conv_k", C, C, 1)
        v = self.conv(x, f"{prefix}.conv_v", C, C, 1)
        heads = self.g.ints(0, H, kc, -1)
        q = self.op("Transpose", self.op("Reshape", q, heads), perm=[0, 1, 3, 2])  # [B, H, T, kc]
        q = self.op("Div", q, self.c(math.sqrt(kc)))
        k = self.op("Reshape", k, heads)  # [B, H, kc, T]
        v = self.op("Transpose", self.op("Reshape", v, heads), perm=[0, 1, 3, 2])  # [B, H, T, kc]
        scores = self.op("MatMul", q, k)  # [B, H, T, T]

        n_rel = 2 * WINDOW + 1
        rel_k = self.W.get(f"{prefix}.emb_rel_k", (1, n_rel, kc))[0]
        rel_v = self.W.get(f"{prefix}.emb_rel_v", (1, n_rel, kc))[0]
        rel_logits = self.op("MatMul", q, self.g.initializer(f"{prefix}.emb_rel_k_t", np.ascontiguousarray(rel_k.T)))
        diagonals = []
        for r in range(n_rel):  # the band j − i = r − W
            diagonal = self.op("Cast", self.op("Equal", offsets, self.c(float(r - WINDOW))), to=FLOAT)
            diagonals.append(diagonal)
            scores = self.op("Add", scores, self.op("Mul", self.slice(rel_logits, 3, r, r + 1), diagonal))
        scores = self.op("Where", masked_out, self.c(-1e4), scores)
        probs = self.op("Softmax", scores, axis=-1)
        out = self.op("MatMul", probs, v)
        banded = [self.op("ReduceSum", self.op("Mul", probs, d), self.g.ints(-1), keepdims=1) for d in diagonals]
        rel_out = self.op(
            "MatMul", self.op("Concat", *banded, axis=-1), self.g.initializer(f"{prefix}.emb_rel_v", rel_v)
        )
        out = self.op("Add", out, rel_out)
        out = self.op("Reshape", self.op("Transpose", out, perm=[0, 1, 3, 2]), self.g.ints(0, C, -1))
        return self.conv(out, f"{prefix}.conv_o", C, C, 1)

    def ffn(self, x, mask, prefix, k):
        C, F = self.s.hidden_channels, self.s.filter_channels
        pads = [(k - 1) // 2, k // 2]
        y = self.conv(self.op("Mul", x, mask), f"{prefix}.conv_1", C, F, k, pads=pads)
        y = self.op("Relu", y)
        y = self.conv(self.op("Mul", y, mask), f"{prefix}.conv_2", F, C, k, pads=pads)
        return self.op("Mul", y, mask)

    def attention_stack(self, x, mask, g, prefix, n_layers, ffn_kernel):
        C = self.s.hidden_channels
        pair_mask = self.op("Mul", self.unsqueeze(mask, 2), self.unsqueeze(mask, 3))  # [B, 1, T, T]
        masked_out = self.op("Equal", pair_mask, self.c(0.0))
        offsets = self.relative_offsets(x)
        x = self.op("Mul", x, mask)
        for i in range(n_layers):
            with self.g.scope(f"layers.{i}"):
                if i == COND_LAYER:
                    speaker = self.linear(self.op("Transpose", g, perm=[0, 2, 1]), f"{prefix}.spk_emb_linear",
                                          self.s.gin_channels, C)  # fmt: skip
                    x = self.op("Mul", self.op("Add", x, self.op("Transpose", speaker, perm=[0, 2, 1])), mask)
                y = self.attention(x, f"{prefix}.attn_layers.{i}", masked_out, offsets)
                x = self.layer_norm(self.op("Add", x, y), f"{prefix}.norm_layers_1.{i}", C)
                y = self.ffn(x, mask, f"{prefix}.ffn_layers.{i}", ffn_kernel)
                x = self.layer_norm(self.op("Add", x, y), f"{prefix}.norm_layers_2.{i}", C)
        return self.op("Mul", x, mask)

    # --- text encoder -----------------------------------------------------------------------------------------

    def text_encoder(self, ids, tones, language, berts, style, mask, g):
        H = self.s.hidden_channels
        embedded = None
        for name, index in (("emb", ids), ("tone_emb", tones), ("language_emb", language)):
            table = self.W.get(f"enc_p.{name}.weight")
            if table.ndim != 2 or table.shape[1] != H:
                raise CheckpointMismatch(
                    f"tensor 'enc_p.{name}.weight' has shape {list(table.shape)}, expected [n, {H}]"
                )
            e = self.op("Gather", self.g.initializer(f"enc_p.{name}.weight", table), index)  # [B, T, H]
            embedded = e if embedded is None else self.op("Add", embedded, e)
        styled = self.op("Add", embedded, self.unsqueeze(self.linear(style, "enc_p.style_proj", STYLE_DIM, H), 1))
        x = self.op("Transpose", styled, perm=[0, 2, 1])  # [B, H, T]
        for proj, features in berts:
            x = self.op("Add", x, self.conv(features, f"enc_p.{proj}", BERT_DIM, H, 1))
        x = self.op("Mul", x, self.c(math.sqrt(H)))
        with self.g.scope("encoder"):
            x = self.attention_stack(x, mask, g, "enc_p.encoder", self.s.n_layers, self.s.kernel_size)
        stats = self.op("Mul", self.conv(x, "enc_p.proj", H, 2 * self.s.inter_channels, 1), mask)
        C = self.s.inter_channels
        return x, self.slice(stats, 1, 0, C), self.slice(stats, 1, C, 2 * C)

    # --- duration predictors ----------------------------------------------------------------------------------

    def duration_predictor(self, x, mask, g):
        H = self.s.hidden_channels
        x = self.op("Add", x, self.conv(g, "dp.cond", self.s.gin_channels, H, 1))
        x = self.conv(self.op("Mul", x, mask), "dp.conv_1", H, DP_FILTER, DP_KERNEL)
        x = self.layer_norm(self.op("Relu", x), "dp.norm_1", DP_FILTER)
        x = self.conv(self.op("Mul", x, mask), "dp.conv_2", DP_FILTER, DP_FILTER, DP_KERNEL)
        x = self.layer_norm(self.op("Relu", x), "dp.norm_2", DP_FILTER)
        x = self.conv(self.op("Mul", x, mask), "dp.proj", DP_FILTER, 1, 1)
        return self.op("Mul", x, mask)

    def dilated_separable(self, x, mask, prefix, channels, g=None):
        """Layers of (depthwise dilated conv → norm → GELU → 1×1 conv → norm → GELU) added to the input."""
        if g is not None:
            x = self.op("Add", x, g)
        for i in range(SDP_DDS_LAYERS):
            dilation = SDP_KERNEL**i
            y = self.conv(self.op("Mul", x, mask), f"{prefix}.convs_sep.{i}", channels, channels, SDP_KERNEL,
                          dilation=dilation, groups=channels)  # fmt: skip
            y = self.gelu(self.layer_norm(y, f"{prefix}.norms_1.{i}", channels))
            y = self.conv(y, f"{prefix}.convs_1x1.{i}", channels, channels, 1)
            y = self.gelu(self.layer_norm(y, f"{prefix}.norms_2.{i}", channels))
            x = self.op("Add", x, y)
        return self.op("Mul", x, mask)

    def spline_inverse(self, y, params):
        """Inverse of the monotonic rational-quadratic spline on [−B, B] (identity outside), per element.

        y [B, 1, T]; params [B, 1, T, 3·bins − 1]: unnormalised bin widths, heights, inner-knot derivatives."""
        n, tb = SPLINE_BINS, SPLINE_TAIL
        fc = math.sqrt(self.s.hidden_channels)
        widths = self.op("Div", self.slice(params, 3, 0, n), self.c(fc))
        heights = self.op("Div", self.slice(params, 3, n, 2 * n), self.c(fc))
        inner_derivs = self.slice(params, 3, 2 * n, 3 * n - 1)
        zeros = self.op("Mul", self.slice(params, 3, 0, 1), self.c(0.0))  # [B, 1, T, 1]
        # the outer knots' derivative is 1 (the linear tails): softplus(edge) + min = 1
        edge = self.op("Add", zeros, self.c(float(np.log(np.exp(1 - MIN_DERIVATIVE) - 1))))
        derivs = self.op("Concat", edge, inner_derivs, edge, axis=-1)
        derivs = self.op("Add", self.op("Softplus", derivs), self.c(MIN_DERIVATIVE))  # [B, 1, T, n+1]

        def knots(raw, minimum):
            """Bin sizes (softmax, floored) → knot positions −B..B (ends exact) and bin sizes between them."""
            sizes = self.op("Softmax", raw, axis=-1)
            sizes = self.op("Add", self.op("Mul", sizes, self.c(1 - minimum * n)), self.c(minimum))
            inner = self.slice(self.op("CumSum", sizes, self.g.const(3, np.int64)), 3, 0, n - 1)
            inner = self.op("Sub", self.op("Mul", inner, self.c(2 * tb)), self.c(tb))
            left = self.op("Sub", zeros, self.c(tb))
            right = self.op("Add", zeros, self.c(tb))
            cum = self.op("Concat", left, inner, right, axis=-1)  # [B, 1, T, n+1]
            return cum, self.op("Sub", self.slice(cum, 3, 1, n + 1), self.slice(cum, 3, 0, n))

        cumwidths, widths = knots(widths, MIN_BIN_WIDTH)
        cumheights, heights = knots(heights, MIN_BIN_HEIGHT)
        y4 = self.unsqueeze(y, 3)  # [B, 1, T, 1]
        # bin of y among the output knots (the last knot nudged up so y = B falls in the last bin)
        nudge = self.c(np.array([0.0] * n + [1e-6], dtype=np.float32))
        above = self.op("Cast", self.op("GreaterOrEqual", y4, self.op("Add", cumheights, nudge)), to=FLOAT)
        bin_index = self.op("Sub", self.op("ReduceSum", above, self.g.ints(-1), keepdims=1), self.c(1.0))
        one_hot = self.op("Cast", self.op("Equal", bin_index, self.c(np.arange(n, dtype=np.float32))), to=FLOAT)

        def pick(table):
            return self.op("ReduceSum", self.op("Mul", table, one_hot), self.g.ints(-1), keepdims=0)

        x_k, w_k = pick(self.slice(cumwidths, 3, 0, n)), pick(widths)
        y_k, h_k = pick(self.slice(cumheights, 3, 0, n)), pick(heights)
        d_k, d_k1 = pick(self.slice(derivs, 3, 0, n)), pick(self.slice(derivs, 3, 1, n + 1))
        slope = self.op("Div", h_k, w_k)
        # solve a·θ² + b·θ + c = 0 for the position θ within the bin (the root in [0, 1], stable form)
        dy = self.op("Sub", y, y_k)
        curvature = self.op("Sub", self.op("Add", d_k, d_k1), self.op("Mul", slope, self.c(2.0)))
        a = self.op("Add", self.op("Mul", dy, curvature), self.op("Mul", h_k, self.op("Sub", slope, d_k)))
        b = self.op("Sub", self.op("Mul", h_k, d_k), self.op("Mul", dy, curvature))
        c = self.op("Neg", self.op("Mul", slope, dy))
        disc = self.op("Sub", self.op("Mul", b, b), self.op("Mul", self.op("Mul", a, c), self.c(4.0)))
        root = self.op("Div", self.op("Mul", c, self.c(2.0)), self.op("Sub", self.op("Neg", b), self.op("Sqrt", disc)))
        x = self.op("Add", self.op("Mul", root, w_k), x_k)
        inside = self.op("And", self.op("GreaterOrEqual", y, self.c(-tb)), self.op("LessOrEqual", y, self.c(tb)))
        return self.op("Where", inside, x, y)

    def stochastic_duration_predictor(self, x, mask, g, noise_scale_w):
        H = self.s.hidden_channels
        with self.g.scope("sdp"):
            h = self.conv(x, "sdp.pre", H, H, 1)
            h = self.op("Add", h, self.conv(g, "sdp.cond", self.s.gin_channels, H, 1))
            h = self.dilated_separable(h, mask, "sdp.convs", H)
            h = self.op("Mul", self.conv(h, "sdp.proj", H, H, 1), mask)
            noise = self.op("RandomNormalLike", self.op("Concat", mask, mask, axis=1), dtype=FLOAT)
            z = self.op("Mul", noise, noise_scale_w)  # [B, 2, T]
            # backwards through the flows: (flip, spline flow) for flows 7, 5, 3, then flip, then the affine 0
            # (flow 1 only matters for the training objective)
            n_params = 3 * SPLINE_BINS - 1
            for index in (7, 5, 3):
                prefix = f"sdp.flows.{index}"
                with self.g.scope(f"flows.{index}"):
                    z = self.flip_channels(z, 2)
                    z0, z1 = self.slice(z, 1, 0, 1), self.slice(z, 1, 1, 2)
                    p = self.conv(z0, f"{prefix}.pre", 1, H, 1)
                    p = self.dilated_separable(p, mask, f"{prefix}.convs", H, g=h)
                    p = self.op("Mul", self.conv(p, f"{prefix}.proj", H, n_params, 1), mask)
                    p = self.op("Transpose", self.op("Reshape", p, self.g.ints(0, 1, n_params, -1)), perm=[0, 1, 3, 2])
                    z1 = self.spline_inverse(z1, p)
                    z = self.op("Mul", self.op("Concat", z0, z1, axis=1), mask)
            z = self.flip_channels(z, 2)
            shift = self.W.get("sdp.flows.0.m", (2, 1))
            inv_scale = np.exp(-self.W.get("sdp.flows.0.logs", (2, 1)).astype(np.float64)).astype(np.float32)
            z = self.op("Sub", z, self.g.initializer("sdp.flows.0.m", shift))
            z = self.op("Mul", self.op("Mul", z, self.g.initializer("sdp.flows.0.inv_scale", inv_scale)), mask)
            return self.slice(z, 1, 0, 1)

    # --- flow and decoder -------------------------------------------------------------------------------------

    def flow_reverse(self, z, mask, g):
        C, H = self.s.inter_channels, self.s.hidden_channels
        half = C // 2
        for step, index in enumerate(range(2 * (N_FLOWS - 1), -1, -2)):
            prefix = f"flow.flows.{index}"
            with self.g.scope(f"flow/flows.{index}"):
                z = self.flip_channels(z, C)
                x0, x1 = self.slice(z, 1, 0, half), self.slice(z, 1, half, C)
                h = self.op("Mul", self.conv(x0, f"{prefix}.pre", half, H, 1), mask)
                h = self.attention_stack(h, mask, g, f"{prefix}.enc", self.s.flow_layers, FLOW_KERNEL)
                shift = self.op("Mul", self.conv(h, f"{prefix}.post", H, half, 1), mask)
                x1 = self.op("Mul", self.op("Sub", x1, shift), mask)
                last = step == N_FLOWS - 1
                z = self.op("Concat", x0, x1, axis=1, outputs=["z_latent"] if last else None)
        return z

    def decoder(self, latent, g):
        s = self.s
        ch = s.upsample_initial_channel
        with self.g.scope("dec"):
            x = self.conv(latent, "dec.conv_pre", s.inter_channels, ch, 7)
            x = self.op("Add", x, self.conv(g, "dec.cond", s.gin_channels, ch, 1))
            n_kernels = len(s.resblock_kernel_sizes)
            for i, (rate, k) in enumerate(zip(s.upsample_rates, s.upsample_kernel_sizes)):
                cin, cout = ch // 2**i, ch // 2 ** (i + 1)
                x = self.op("LeakyRelu", x, alpha=LRELU_SLOPE)
                weight = self.W.conv_weight(f"dec.ups.{i}", (cin, cout, k))
                x = self.op(
                    "ConvTranspose", x,
                    self.g.initializer(f"dec.ups.{i}.weight", weight),
                    self.g.initializer(f"dec.ups.{i}.bias", self.W.get(f"dec.ups.{i}.bias", (cout,))),
                    kernel_shape=[k], strides=[rate], pads=[(k - rate) // 2] * 2,
                )  # fmt: skip
                total = None
                for j, (rk, dilations) in enumerate(zip(s.resblock_kernel_sizes, s.resblock_dilation_sizes)):
                    y = self.resblock(x, f"dec.resblocks.{i * n_kernels + j}", cout, rk, dilations)
                    total = y if total is None else self.op("Add", total, y)
                x = self.op("Div", total, self.c(float(n_kernels)))
            x = self.op("LeakyRelu", x, alpha=0.01)
            x = self.conv(x, "dec.conv_post", ch // 2 ** len(s.upsample_rates), 1, 7, bias=False)
            return self.op("Tanh", x, outputs=["output"])

    def resblock(self, x, prefix, ch, k, dilations):
        if self.s.resblock == "1":
            for n, d in enumerate(dilations[:3]):
                y = self.conv(self.op("LeakyRelu", x, alpha=LRELU_SLOPE), f"{prefix}.convs1.{n}", ch, ch, k, dilation=d)
                y = self.conv(self.op("LeakyRelu", y, alpha=LRELU_SLOPE), f"{prefix}.convs2.{n}", ch, ch, k)
                x = self.op("Add", y, x)
        else:
            for n, d in enumerate(dilations[:2]):
                y = self.conv(self.op("LeakyRelu", x, alpha=LRELU_SLOPE), f"{prefix}.convs.{n}", ch, ch, k, dilation=d)
                x = self.op("Add", y, x)
        return x

    # --- the whole pass ---------------------------------------------------------------------------------------

    def build(self) -> onnx.ModelProto:
        s, g_ = self.s, self.g
        bert_names = ["bert"] if s.jp_extra else ["bert", "ja_bert", "en_bert"]
        batch, length = "batch_size", "x_tst_max_length"
        inputs = [
            tensor_info("x_tst", INT64, [batch, length]),
            tensor_info("x_tst_lengths", INT64, [batch]),
            tensor_info("sid", INT64, [batch]),
            tensor_info("tones", INT64, [batch, length]),
            tensor_info("language", INT64, [batch, length]),
            *[tensor_info(b, FLOAT, [batch, BERT_DIM, length]) for b in bert_names],
            tensor_info("style_vec", FLOAT, [batch, STYLE_DIM]),
            *[tensor_info(n, FLOAT, []) for n in ("length_scale", "sdp_ratio", "noise_scale", "noise_scale_w")],
        ]
        speakers = self.W.get("emb_g.weight", (s.n_speakers, s.gin_channels))
        g = self.unsqueeze(self.op("Gather", g_.initializer("emb_g.weight", speakers), "sid"), 2)  # [B, gin, 1]
        x_mask = self.sequence_mask("x_tst_lengths", self.length_of("x_tst", 1))
        with g_.scope("enc_p"):
            projections = [("bert_proj", "bert")] if s.jp_extra else [
                ("bert_proj", "bert"), ("ja_bert_proj", "ja_bert"), ("en_bert_proj", "en_bert")
            ]  # fmt: skip
            x, m_p, logs_p = self.text_encoder("x_tst", "tones", "language", projections, "style_vec", x_mask, g)
        sdp = self.stochastic_duration_predictor(x, x_mask, g, "noise_scale_w")
        with g_.scope("dp"):
            dp = self.duration_predictor(x, x_mask, g)
        logw = self.op("Add", self.op("Mul", sdp, "sdp_ratio"),
                       self.op("Mul", dp, self.op("Sub", self.c(1.0), "sdp_ratio")))  # fmt: skip
        w = self.op("Mul", self.op("Mul", self.op("Exp", logw), x_mask), "length_scale")
        w_ceil = self.op("Ceil", w)  # [B, 1, T] frames per phone
        y_lengths = self.op("Max", self.op("ReduceSum", w_ceil, g_.ints(1, 2), keepdims=0), self.c(1.0))
        y_lengths = self.op("Cast", y_lengths, to=INT64)
        y_mask = self.sequence_mask(y_lengths, self.op("ReduceMax", y_lengths, keepdims=0))
        y_mask = self.op("Identity", y_mask, outputs=["y_mask"])
        # monotonic alignment: frame t belongs to phone i when start_i ≤ t < end_i
        frames = self.op("Range", self.c(0.0), self.op("Cast", self.length_of(y_mask), to=FLOAT), self.c(1.0))
        ends = self.op("CumSum", self.squeeze(w_ceil, 1), g_.const(1, np.int64))  # [B, T]
        starts = self.op("CumSum", self.squeeze(w_ceil, 1), g_.const(1, np.int64), exclusive=1)
        frames3 = self.unsqueeze(frames, 0, 1)  # [1, 1, T']
        before_end = self.op("Cast", self.op("Less", frames3, self.unsqueeze(ends, 2)), to=FLOAT)
        before_start = self.op("Cast", self.op("Less", frames3, self.unsqueeze(starts, 2)), to=FLOAT)
        path = self.op("Transpose", self.op("Sub", before_end, before_start), perm=[0, 2, 1])  # [B, T', T]
        pair_mask = self.op("Mul", self.unsqueeze(x_mask, 2), self.unsqueeze(y_mask, 3))  # [B, 1, T', T]
        attn = self.op("Mul", self.unsqueeze(path, 1), pair_mask, outputs=["attn"])
        path = self.squeeze(attn, 1)

        def expand(stats, name):
            per_frame = self.op("MatMul", path, self.op("Transpose", stats, perm=[0, 2, 1]))
            return self.op("Transpose", per_frame, perm=[0, 2, 1], outputs=[name])

        m_frames, logs_frames = expand(m_p, "m_p"), expand(logs_p, "logs_p")
        noise = self.op("RandomNormalLike", m_frames, dtype=FLOAT)
        spread = self.op("Mul", self.op("Mul", noise, self.op("Exp", logs_frames)), "noise_scale")
        z_p = self.op("Add", m_frames, spread, outputs=["z_p"])
        z = self.flow_reverse(z_p, y_mask, g)
        self.decoder(self.op("Mul", z, y_mask), g)

        frames_dim = "y_max_length"
        outputs = [
            tensor_info("output", FLOAT, [batch, 1, "audio_length"]),
            tensor_info("attn", FLOAT, [batch, 1, frames_dim, length]),
            tensor_info("y_mask", FLOAT, [batch, 1, frames_dim]),
            *[
                tensor_info(n, FLOAT, [batch, s.inter_channels, frames_dim])
                for n in ("z_latent", "z_p", "m_p", "logs_p")
            ],
        ]
        model = self.model  # its graph already holds the initializers
        model.graph.name = "sbv2_synthesizer"
        model.graph.node.extend(g_.nodes)
        model.graph.input.extend(inputs)
        model.graph.output.extend(outputs)
        model.opset_import.append(helper.make_opsetid("", OPSET))
        model.producer_name = "sbv2-studio"
        model.ir_version = 8
        model.graph.value_info.extend(_inferred_value_info(model))
        return model


SMALL_INITIALIZER = 4096  # bytes: constants (shapes, indices, scalars) kept when inferring shapes


def _inferred_value_info(model: onnx.ModelProto) -> list[onnx.ValueInfoProto]:
    """Every intermediate tensor's type and (partly symbolic) shape, as exported graphs carry them: graph cuts
    (graphs/split.py) type their parts' inputs from these, e.g. the decoder levels' channel counts.

    Inferred on a copy without the weights' data (each weight becomes a typed graph input; small constants stay,
    shape inference reads their values), so a full-size model is not copied several times over."""
    graph = model.graph
    small = [t for t in graph.initializer if len(t.raw_data) <= SMALL_INITIALIZER]
    weights = [tensor_info(t.name, t.data_type, list(t.dims)) for t in graph.initializer
               if len(t.raw_data) > SMALL_INITIALIZER]  # fmt: skip
    skeleton_graph = helper.make_graph(
        graph.node, graph.name, [*graph.input, *weights], graph.output, initializer=small
    )
    skeleton = helper.make_model(skeleton_graph, opset_imports=model.opset_import)
    skeleton.ir_version = model.ir_version
    inferred = onnx.shape_inference.infer_shapes(skeleton, strict_mode=True)
    return list(inferred.graph.value_info)


def build_synthesizer_graph(spec: SynthSpec, weights: Weights) -> onnx.ModelProto:
    return _Builder(spec, weights).build()
