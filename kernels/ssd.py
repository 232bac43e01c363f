"""The SSD (Mamba-2 state-space dual) scan, in PyTorch: the reference and the chunked form.

Scalar A per head, ngroups = 1. At this level dt is already softplus'd (dt > 0) and A is already
negative, so every decay exp(dt * A) lies in (0, 1].

    h_t = exp(dt_t * A) * h_{t-1} + dt_t * (x_t outer B_t)        h: [H, P, N]
    y_t = h_t . C_t + D * x_t

Shapes (batch first): x [b, T, H, P], dt [b, T, H], A [H], B and C [b, T, N], D [H] or None,
state [b, H, P, N]. Both forms take an initial state (None = zeros) and return (y, final state).

The chunked form cuts T into sub-chunks of length L. Inside a sub-chunk it computes y in the
quadratic ("dual", attention-like) form with a decay mask; between sub-chunks it carries one state
per sub-chunk. It is written for ONNX export to WebGPU: MatMul rather than Einsum, the sub-chunk
masks are constants built from numpy (no Trilu), the masked entries get a large finite negative
exponent through a Where (no infinities), and the mask over sub-chunks is built from a cumulative
count, so T can stay a symbolic multiple of L. Every exponent it takes is <= 0 or, where dt is
folded in, <= log dt, so no exp can overflow.

The depthwise causal conv of Mamba-2 (kernel K, state = the last K-1 inputs) is here too, because
it carries state across calls exactly like the scan does.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

# A masked exponent: exp() of it is exactly 0 in float32 and float64, and it is finite.
MASKED_EXPONENT = -1.0e9


def ssd_sequential(x: Tensor, dt: Tensor, A: Tensor, B: Tensor, C: Tensor,
                   D: Tensor | None = None, state: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """The recurrence, one step at a time: the reference every other form is checked against."""
    b, T, H, P = x.shape
    N = B.shape[-1]
    h = x.new_zeros(b, H, P, N) if state is None else state.clone()
    if T == 0:
        return x.new_zeros(b, 0, H, P), h
    ys = []
    for t in range(T):
        decay = torch.exp(dt[:, t] * A)                                    # [b, H]
        h = decay[:, :, None, None] * h + (dt[:, t, :, None, None] * x[:, t, :, :, None]
                                           * B[:, t, None, None, :])
        y = (h * C[:, t, None, None, :]).sum(-1)                           # [b, H, P]
        if D is not None:
            y = y + D[:, None] * x[:, t]
        ys.append(y)
    return torch.stack(ys, dim=1), h


def subchunk_masks(L: int, dtype: torch.dtype = torch.float32,
                   device: torch.device | str | None = None) -> tuple[Tensor, Tensor]:
    """(keep, causal) for one sub-chunk: keep[i, j] = 1.0 where j <= i, else 0.0 (the inclusive
    cumulative sum is a MatMul with it), and causal = the same as bool (the decay exponent is
    masked with a Where). Built in numpy so that a traced graph sees constants, not a Trilu."""
    keep = np.tril(np.ones((L, L)))
    return (torch.tensor(keep, dtype=dtype, device=device),
            torch.tensor(keep > 0.5, dtype=torch.bool, device=device))


def count_along(v: Tensor, dim: int) -> Tensor:
    """1, 2, ..., n along dim, with v's shape. Made from v itself (v * 0 + 1, then a cumulative
    sum) so that a symbolic length needs no shape arithmetic in an exported graph."""
    return torch.cumsum(v * 0.0 + 1.0, dim=dim)


# Added to dt before its log, so that padding (dt = 0) gets a finite log (about -69): its decay
# weight is then about 1e-30 times an ordinary one, and only padded outputs, which are dropped,
# ever see it. The chunk states use dt itself, so padding adds exactly nothing to the state.
LOG_DT_FLOOR = 1.0e-30


def ssd_chunked(x: Tensor, dt: Tensor, A: Tensor, B: Tensor, C: Tensor, L: int,
                D: Tensor | None = None, state: Tensor | None = None,
                masks: tuple[Tensor, Tensor] | None = None, group: int = 1) -> tuple[Tensor, Tensor]:
    """The same scan, sub-chunk by sub-chunk. T need not be a multiple of L (of L * group when
    group > 1): the tail is padded with dt = 0, which leaves the state untouched, and the padded
    outputs are dropped.

    group > 1 carries the state between sub-chunks in two levels (see carry_two_level): a call
    of c sub-chunks then costs O(c * group + (c / group)^2) state-sized products between them
    instead of O(c^2), which is what long GPU calls need (c = 1,024 at T = 65,536).

    On onnxruntime's WebGPU provider a call's time goes to full-size elementwise passes (and
    Transposes) over the [b, H, c, L, L], [b, H, c, L, P] and [b, H, c, N, P] tensors, not to the
    MatMuls, so this is arranged to make few of them: dt rides in the decay exponent, D on the
    score matrix's diagonal, the initial state in the inter-chunk MatMul, and the chunk states are
    built in [N, P] orientation so that neither they nor the carried states need a Transpose.
    Per sub-chunk that leaves Sub, Where, Exp, Mul, Add over [L, L]; Mul over x; Mul and Add over
    y; one Concat of the states (only with an initial state); and the Transposes of x and y."""
    # The fixed sizes as Python ints, so an exported graph reshapes with constants rather than
    # shape arithmetic (which onnxruntime runs on the CPU); T stays symbolic.
    b, H, P, N = int(x.shape[0]), int(x.shape[2]), int(x.shape[3]), int(B.shape[-1])
    T = x.shape[1]
    if T == 0:
        return x.new_zeros(b, 0, H, P), (x.new_zeros(b, H, P, N) if state is None else state)
    pad = (-T) % (L * group)
    if pad:
        x = torch.nn.functional.pad(x, (0, 0, 0, 0, 0, pad))
        dt = torch.nn.functional.pad(dt, (0, 0, 0, pad))
        B = torch.nn.functional.pad(B, (0, 0, 0, pad))
        C = torch.nn.functional.pad(C, (0, 0, 0, pad))
    keep, causal = subchunk_masks(L, x.dtype, x.device) if masks is None else masks

    # Sub-chunk layout: c sub-chunks of L positions, heads before chunks.
    xc = x.reshape(b, -1, L, H, P).permute(0, 3, 1, 2, 4)                 # [b, H, c, L, P]
    dtc = dt.reshape(b, -1, L, H).permute(0, 3, 1, 2)                     # [b, H, c, L]
    Bc = B.reshape(b, -1, L, N).unsqueeze(1)                              # [b, 1, c, L, N]
    Cc = C.reshape(b, -1, L, N).unsqueeze(1)                              # [b, 1, c, L, N]

    a = dtc * A[None, :, None, None]                                      # log decay per step
    cs = torch.matmul(a, keep.transpose(0, 1))                            # inclusive cumsum over L
    # 1. Inside each sub-chunk, the quadratic form: y_i = sum_{j<=i} C_i.B_j e^{cs_i-cs_j} dt_j x_j
    #    + D x_i. dt_j enters the exponent as log dt_j (computed on the small [b, H, c, L]), and D
    #    goes on the diagonal of the scores, so the [L, L] work is Sub, Where, Exp, Mul, Add.
    #    Every exponent is at most log dt_j (cs only falls), so no exp can overflow.
    lagged = cs - torch.log(dtc + LOG_DT_FLOOR)                           # cs_j - log dt_j
    exponent = torch.where(causal, cs.unsqueeze(-1) - lagged.unsqueeze(-2),
                           torch.tensor(MASKED_EXPONENT, dtype=x.dtype, device=x.device))
    scores = torch.matmul(Cc, Bc.transpose(-1, -2)) * torch.exp(exponent)  # [b, H, c, L, L]
    if D is not None:
        scores = scores + (D[:, None, None] * torch.eye(L, dtype=x.dtype, device=x.device)
                           ).unsqueeze(1)                                 # [H, 1, L, L]
    y = torch.matmul(scores, xc)                                          # [b, H, c, L, P]

    # 2. The state each sub-chunk adds on its own, decayed to the sub-chunk's end, built as
    #    [N, P] (B^T on the left) so that it is never transposed; dt is applied on the small
    #    weight so that padding (dt = 0) adds exactly 0.
    last = cs[..., -1:]                                                   # [b, H, c, 1]
    weight = torch.exp(last - cs) * dtc                                   # [b, H, c, L]
    states = torch.matmul(Bc.transpose(-1, -2), xc * weight.unsqueeze(-1))  # [b, H, c, N, P]

    # 3. The recurrence between sub-chunks: the state entering each one, and the final state.
    total = last.squeeze(-1)                                              # [b, H, c]
    flat = states.reshape(b, H, -1, N * P)                                # [b, H, c, N*P]
    h0 = None if state is None else state.transpose(-1, -2).reshape(b, H, 1, N * P)
    if group > 1:
        h_in, final = carry_two_level(total, flat, h0, group)
    else:
        h_in, final = carry_closed_form(total, flat, h0)
    h_in = h_in.reshape(b, H, -1, N, P)                                   # [b, H, c, N, P]

    # 4. What the carried-in state contributes inside each sub-chunk.
    y = y + torch.matmul(Cc, h_in) * torch.exp(cs).unsqueeze(-1)

    y = y.permute(0, 2, 3, 1, 4).reshape(b, -1, H, P)                    # [b, T(+pad), H, P]
    if pad:
        y = y[:, :T]
    return y, final.reshape(b, H, N, P).transpose(-1, -2)


def carry_closed_form(total: Tensor, flat: Tensor, h0: Tensor | None) -> tuple[Tensor, Tensor]:
    """The recurrence between c blocks in closed form: block z starts from
    h_in[z] = e^{E_z} h0 + sum_{k<z} e^{E_z - S_k} s_k, with S the inclusive and E the exclusive
    cumulative sum of the blocks' log decays (total [b, H, c]) and s_k their own end states
    (flat [b, H, c, M]). The initial state h0 ([b, H, 1, M] or None), when there is one, is a
    leading virtual block with S = 0, so h_in and the final state each come from one MatMul.
    Returns (h_in [b, H, c, M], final [b, H, 1, M]). Costs O(c^2 M)."""
    b, H = int(total.shape[0]), int(total.shape[1])
    S = torch.cumsum(total, dim=-1)
    E = S - total
    if h0 is not None:
        flat = torch.cat([h0, flat], dim=2)                               # [b, H, 1 + c, M]
        S = torch.cat([torch.zeros(b, H, 1, dtype=total.dtype, device=total.device), S], dim=-1)
    # before[z, k]: source k (a virtual or real block) precedes block z. With the virtual one,
    # source k is real block k - 1, so k precedes z when k <= z; without it when k < z.
    source = count_along(S, -1) - (1.0 if h0 is not None else 0.0)
    before = count_along(total, -1).unsqueeze(-1) > source.unsqueeze(-2)  # [b, H, c, c(+1)]
    carry = torch.exp(torch.where(before, E.unsqueeze(-1) - S.unsqueeze(-2),
                                  torch.tensor(MASKED_EXPONENT, dtype=total.dtype, device=total.device)))
    h_in = torch.matmul(carry, flat)                                      # [b, H, c, M]
    final = torch.matmul(torch.exp(S[..., -1:] - S).unsqueeze(-2), flat)  # [b, H, 1, M]
    return h_in, final


def carry_two_level(total: Tensor, flat: Tensor, h0: Tensor | None, group: int) -> tuple[Tensor, Tensor]:
    """carry_closed_form's result in two levels, for c a multiple of `group`: inside each group of
    `group` blocks from a zero state (fixed-size products, masks from numpy), then between the
    groups in closed form (c / group of them, with h0), then each group's entering state decayed
    to each of its blocks and added. Every exponent is still <= 0."""
    b, H, M = int(total.shape[0]), int(total.shape[1]), int(flat.shape[-1])
    keep = torch.tensor(np.tril(np.ones((group, group))), dtype=total.dtype, device=total.device)
    strict = torch.tensor(np.tril(np.ones((group, group)), -1) > 0.5, device=total.device)
    tot = total.reshape(b, H, -1, group)                                  # [b, H, g, s]
    own = flat.reshape(b, H, -1, group, M)                                # [b, H, g, s, M]
    S = torch.matmul(tot, keep.transpose(0, 1))                           # inclusive, per group
    E = S - tot
    masked = torch.tensor(MASKED_EXPONENT, dtype=total.dtype, device=total.device)
    local = torch.exp(torch.where(strict, E.unsqueeze(-1) - S.unsqueeze(-2), masked))
    h_local = torch.matmul(local, own)                                    # [b, H, g, s, M]
    end = S[..., -1:]                                                     # [b, H, g, 1]
    group_state = torch.matmul(torch.exp(end - S).unsqueeze(-2), own).squeeze(-2)  # [b, H, g, M]
    entering, final = carry_closed_form(end.squeeze(-1), group_state, h0)  # [b, H, g, M]
    h_in = h_local + torch.exp(E).unsqueeze(-1) * entering.unsqueeze(-2)
    return h_in.reshape(b, H, -1, M), final


def causal_conv(x: Tensor, weight: Tensor, bias: Tensor | None = None,
                state: Tensor | None = None,
                valid_len: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """Depthwise causal conv: y_t[c] = bias[c] + sum_k weight[c, k] * x_{t-K+1+k}[c].

    x [b, T, C], weight [C, K], state [b, C, K-1] (the K-1 inputs before x, oldest first; None =
    zeros). Returns (y [b, T, C], the new state). No activation here.

    valid_len (a float tensor of shape [1] or [1, 1, 1], batch 1; None = all of x is valid):
    positions at or after it are padding, so the new state is the K-1 inputs just before position
    valid_len, drawn partly from the old state when valid_len < K-1. They are gathered by int32
    indices made on the GPU from the float valid_len (a 0/1 selection MatMul over all of T, as
    before, cost a long WebGPU call more than its whole convolution)."""
    K = int(weight.shape[-1])  # a constant in an exported graph, like the sizes in ssd_chunked
    past = x.new_zeros(x.shape[0], x.shape[2], K - 1) if state is None else state
    xp = torch.cat([past.transpose(1, 2), x], dim=1)                     # [b, K-1+T, C]
    # One grouped Conv node rather than K shifted Slices, Muls and Adds: onnxruntime runs it as a
    # single channels-last pass on WebGPU (the taps cost 18 ms of a 65,536-token call there) and
    # it is faster on the CPU too. Its transposes around [b, C, K-1+T] cancel in the graph.
    if int(x.shape[1]) == 0:
        y = x.new_zeros(x.shape)
    else:
        y = torch.nn.functional.conv1d(xp.transpose(1, 2), weight.unsqueeze(1), bias,
                                       groups=int(weight.shape[0])).transpose(1, 2)
    if valid_len is None:
        new_state = xp[:, -(K - 1):]
    else:
        if int(x.shape[0]) != 1:
            raise ValueError("causal_conv: valid_len is for batch 1 (the reader's calls)")
        offsets = torch.tensor(np.arange(K - 1), dtype=valid_len.dtype, device=x.device)
        rows = (valid_len.reshape(1) + offsets).to(torch.int32)           # xp rows valid_len + k
        new_state = torch.index_select(xp, 1, rows)                       # [1, K-1, C]
    return y, new_state.transpose(1, 2)


def causal_conv_taps(x: Tensor, weight: Tensor, bias: Tensor | None = None,
                     state: Tensor | None = None,
                     valid_len: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """causal_conv as K shifted multiply-adds, for training: compiled, they fuse into one
    elementwise pass forward and backward, where a grouped conv1d's backward (cuDNN's depthwise
    weight gradient) is slow. Same arguments and results as causal_conv; no valid_len (training
    never pads)."""
    if valid_len is not None:
        raise ValueError("causal_conv_taps: no valid_len (use causal_conv)")
    K, T = int(weight.shape[-1]), int(x.shape[1])
    past = x.new_zeros(x.shape[0], x.shape[2], K - 1) if state is None else state
    xp = torch.cat([past.transpose(1, 2).to(x.dtype), x], dim=1)         # [b, K-1+T, C]
    y = xp[:, 0:T] * weight[:, 0].to(x.dtype)
    for k in range(1, K):
        y = y + xp[:, k:k + T] * weight[:, k].to(x.dtype)
    if bias is not None:
        y = y + bias.to(x.dtype)
    return y, xp[:, T:].transpose(1, 2)
