"""PyTorch CPU reference of `pnpm bench`: the same models, shapes and batches as the tfjs side.

Reads the manifest the bench wrote (batches as int32, features as float32, offsets in elements),
times every case the same way (warm-up steps excluded, one optimizer step = forward, backward,
Adam update, loss read back), and prints one JSON object on stdout.

The models follow the TypeScript packages layer for layer (not weight for weight: both sides start
from their own random weights, which does not change the work a step does):
  SASRec  = packages/recommender/src/sasrec.ts over packages/nn's encoder (post-LN, RecBole layout)
  IMECD   = packages/imecd/src/create-imecd.ts: ID-guided MoE projections, one encoder per stream,
            per-stream VQ on each window's last state, conditional MLP diffusion with InfoNCE, and
            the full softmax cross-entropy over the (M + 1)·D concatenation at every real position.
"""
import json
import math
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------- the encoder (packages/nn)

class Block(nn.Module):
    """One post-LN Transformer block: attention and GELU FFN, each with dropout, residual, LayerNorm."""

    def __init__(self, d, heads, inner, dropout, attention_dropout, eps, norm_first):
        super().__init__()
        self.heads, self.norm_first = heads, norm_first
        self.query, self.key, self.value, self.output = (nn.Linear(d, d) for _ in range(4))
        self.inner, self.outer = nn.Linear(d, inner), nn.Linear(inner, d)
        self.attention_norm, self.feed_forward_norm = nn.LayerNorm(d, eps=eps), nn.LayerNorm(d, eps=eps)
        self.dropout, self.attention_dropout = nn.Dropout(dropout), nn.Dropout(attention_dropout)

    def attention(self, x, bias):
        b, l, d = x.shape
        h = self.heads
        split = lambda t: t.view(b, l, h, d // h).transpose(1, 2)  # [B, H, L, D/H]
        q = split(self.query(x) * (1.0 / math.sqrt(d // h)))
        scores = q @ split(self.key(x)).transpose(-1, -2) + bias  # [B, H, L, L]
        probabilities = self.attention_dropout(torch.softmax(scores, -1))
        context = (probabilities @ split(self.value(x))).transpose(1, 2).reshape(b, l, d)
        return self.output(context)

    def feed_forward(self, x):
        return self.outer(F.gelu(self.inner(x)))  # erf GELU, as packages/nn's gelu

    def forward(self, x, bias):
        if self.norm_first:
            x = x + self.dropout(self.attention(self.attention_norm(x), bias))
            return x + self.dropout(self.feed_forward(self.feed_forward_norm(x)))
        x = self.attention_norm(x + self.dropout(self.attention(x, bias)))
        return self.feed_forward_norm(x + self.dropout(self.feed_forward(x)))


class Encoder(nn.Module):
    """createTransformerEncoder: learned right-aligned positions, embedding LN, blocks, causal + padding mask."""

    def __init__(self, c):
        super().__init__()
        d, eps = c['hiddenSize'], 1e-12
        self.max_length = c['maxLength']
        self.positions = nn.Parameter(torch.randn(c['maxLength'], d) * 0.02)
        self.norm = nn.LayerNorm(d, eps=eps)
        self.dropout = nn.Dropout(c['dropout'])
        self.blocks = nn.ModuleList(
            Block(d, c['numHeads'], c['innerSize'], c['dropout'], c['attentionDropout'], eps, False) for _ in range(c['numLayers'])
        )

    def forward(self, embedded, ids):
        b, l, _ = embedded.shape
        x = self.dropout(self.norm(embedded + self.positions[self.max_length - l:]))
        causal = torch.tril(torch.ones(l, l, dtype=torch.bool))
        allowed = causal[None, None] & (ids != 0)[:, None, None, :]
        bias = torch.zeros(b, 1, l, l).masked_fill(~allowed, -1e9)  # additive, like createCausalAttentionBias
        for block in self.blocks:
            x = block(x, bias)
        return x  # [B, L, D]


def full_softmax_ce(hidden, table, targets):
    """tableSoftmaxCrossEntropy: mean CE of targets over table rows 1..N (row 0 = padding left out)."""
    return F.cross_entropy(hidden @ table[1:].t(), targets - 1)


def scored(inputs, targets):
    """The flat indices of real targets, and (IMECD) each row's last one: scoredPositions()."""
    flat = targets.reshape(-1)
    positions = torch.nonzero(flat, as_tuple=True)[0]
    return positions, flat[positions]


# ---------------------------------------------------------------- SASRec

class Sasrec(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.items = nn.Embedding(c['numItems'] + 1, c['hiddenSize'])
        nn.init.normal_(self.items.weight, std=0.02)
        self.encoder = Encoder(c)

    def loss(self, inputs, targets):
        states = self.encoder(self.items(inputs), inputs)
        positions, wanted = scored(inputs, targets)
        hidden = states.reshape(-1, states.shape[-1])[positions]
        return full_softmax_ce(hidden, self.items.weight, wanted)

    def score_all(self, histories):
        last = self.encoder(self.items(histories), histories)[:, -1]
        return last @ self.items.weight.t()


# ---------------------------------------------------------------- IMECD

class Projection(nn.Module):
    """ID-guided mixture of K linear experts over frozen features (createModalityProjection, @imecd/moe)."""

    def __init__(self, features, mask, d, experts):
        super().__init__()
        self.register_buffer('features', features)
        self.register_buffer('mask', mask)
        self.experts, self.d = experts, d
        self.kernels = nn.Linear(features.shape[1], experts * d)  # the experts' kernels side by side
        self.gate = nn.Linear(d, experts)
        nn.init.zeros_(self.gate.weight)  # zero-initialised gate, as @imecd/moe's default

    def forward(self, guide):
        weights = torch.softmax(self.gate(guide), -1)  # [N + 1, K]
        outputs = self.kernels(self.features).view(-1, self.experts, self.d)  # [N + 1, K, D]
        mixed = (weights[:, :, None] * outputs).sum(1) * self.mask[:, None]
        importance = (weights * self.mask[:, None]).sum(0)
        balance = importance.var(unbiased=False) / (importance.mean() ** 2 + 1e-10)  # CV²
        return mixed, balance


class Quantizer(nn.Module):
    """One stream's VQ (euclidean, gradient-trained codebook, β = 0.25, straight-through)."""

    def __init__(self, codes, d):
        super().__init__()
        self.codebook = nn.Parameter(torch.randn(codes, d) * 0.1)

    def forward(self, x):
        distances = (x * x).sum(1, keepdim=True) - 2 * x @ self.codebook.t() + (self.codebook * self.codebook).sum(1)
        codes = self.codebook[distances.argmin(1)]
        loss = F.mse_loss(codes, x.detach()) + 0.25 * F.mse_loss(x, codes.detach())
        return x + (codes - x).detach(), loss


def sinusoidal(timesteps, size, max_period=10000.0):
    half = size // 2
    frequencies = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    angles = timesteps.float()[:, None] * frequencies[None]
    return torch.cat([torch.cos(angles), torch.sin(angles)], 1)


class Diffusion(nn.Module):
    """createConditionalDiffusion with the default MLP denoiser: x_0 prediction, MSE + cosine InfoNCE (τ 0.1)."""

    def __init__(self, d, steps):
        super().__init__()
        hidden = 2 * d
        self.time = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, hidden))
        self.mlp = nn.Sequential(nn.Linear(2 * d + hidden, hidden), nn.GELU(), nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, d))
        self.hidden, self.steps = hidden, steps
        scale = 1000.0 / steps  # DiffuRec's truncated-linear betas
        end = 0.02 * scale + 0.01
        betas = torch.linspace(1e-4 * scale + 0.01, end if end < 1 else 1e-3 * scale + 0.01, steps)
        self.register_buffer('alpha_bar', torch.cumprod(1 - betas, 0))

    def loss(self, target, condition, target_ids):
        t = torch.randint(0, self.steps, (target.shape[0],))
        a = self.alpha_bar[t][:, None]
        noisy = a.sqrt() * target + (1 - a).sqrt() * torch.randn_like(target)
        predicted = self.mlp(torch.cat([noisy, condition, self.time(sinusoidal(t, self.hidden))], 1))
        reconstruction = F.mse_loss(predicted, target)
        logits = F.normalize(predicted, dim=1, eps=1e-6) @ F.normalize(target, dim=1, eps=1e-6).t() / 0.1
        duplicate = (target_ids[:, None] == target_ids[None]) & ~torch.eye(len(target_ids), dtype=torch.bool)
        contrastive = F.cross_entropy(logits.masked_fill(duplicate, -1e9), torch.arange(len(target_ids)))
        return predicted, reconstruction, contrastive


class Imecd(nn.Module):
    def __init__(self, c, features):
        super().__init__()
        d, n = c['hiddenSize'], c['numItems']
        self.d = d
        self.items = nn.Parameter(torch.randn(n + 1, d) * 0.02)
        self.projections = nn.ModuleList(Projection(values, mask, d, c['numExperts']) for values, mask in features)
        self.streams = 1 + len(features)
        self.encoders = nn.ModuleList(Encoder(c) for _ in range(self.streams))
        self.quantizers = nn.ModuleList(Quantizer(c['codebookSize'], d) for _ in range(self.streams))
        self.fusion = nn.Parameter(torch.zeros(self.streams)) if self.streams > 1 else None
        self.register_buffer('availability', torch.stack([torch.ones(n + 1)] + [mask for _, mask in features], 1))
        self.diffusion = Diffusion(d, c['diffusionSteps'])
        self.c = c

    def loss(self, inputs, targets):
        c = self.c
        projected = [projection(self.items) for projection in self.projections]
        tables = [self.items] + [table for table, _ in projected]
        states = [encoder(table[inputs], inputs).reshape(-1, self.d) for encoder, table in zip(self.encoders, tables)]
        positions, wanted = scored(inputs, targets)
        # Each window's last scored position (left padding: the row's last real target).
        rows = targets.shape[1]
        real = targets != 0
        last_in_row = rows - 1 - torch.flip(real, [1]).float().argmax(1)
        has = real.any(1)
        last_positions = (torch.arange(targets.shape[0]) * rows + last_in_row)[has]
        last_targets = targets.reshape(-1)[last_positions]
        if self.fusion is None:
            weights, fused = None, tables[0]
        else:
            weights = torch.softmax(self.fusion, 0)
            item_weights = self.availability * weights
            item_weights = item_weights / item_weights.sum(1, keepdim=True)
            fused = (torch.stack(tables, 1) * item_weights[:, :, None]).sum(1)
        quantized, vq_losses = zip(*(q(s[last_positions]) for q, s in zip(self.quantizers, states)))
        condition = quantized[0] if weights is None else (torch.stack(quantized, 1) * weights[None, :, None]).sum(1)
        generated, reconstruction, contrastive = self.diffusion.loss(fused[last_targets], condition, last_targets)
        # The generated vector at each row's last scored position, zero elsewhere.
        spread = torch.zeros(targets.numel(), self.d)
        spread = spread.index_copy(0, last_positions, generated)[positions]
        hidden = torch.cat([s[positions] for s in states] + [spread], 1)
        table = torch.cat(tables + [fused], 1)
        balance = sum((b for _, b in projected), torch.zeros(()))
        return (full_softmax_ce(hidden, table, wanted) + c['lambdaVq'] * sum(vq_losses)
                + c['lambdaDiffusion'] * reconstruction + c['lambdaContrastive'] * contrastive + c['lambdaBalance'] * balance)


# ---------------------------------------------------------------- timing

def blas_in_use():
    """The BLAS library this process loaded (resolved path), after a matmul has run."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open('/proc/self/maps') as maps:
        paths = {line.split()[-1] for line in maps if '/' in line}
    for path in sorted(paths):
        name = os.path.basename(path)
        if 'openblas' in path or 'libblas' in name or 'mkl' in name or 'blis' in path:
            return os.path.realpath(path)
    return 'unknown'


def load(manifest_path):
    with open(manifest_path) as handle:
        manifest = json.load(handle)
    folder = os.path.dirname(manifest_path)
    ints = np.fromfile(os.path.join(folder, manifest['intFile']), dtype=np.int32)
    floats = np.fromfile(os.path.join(folder, manifest['floatFile']), dtype=np.float32)
    return manifest, ints, floats


def batch_tensors(ints, batch):
    shape = (batch['size'], batch['length'])
    count = batch['size'] * batch['length']
    read = lambda offset, size: torch.from_numpy(ints[offset:offset + size].astype(np.int64))
    inputs = read(batch['inputs'], count).reshape(shape)
    if 'userTargets' in batch:  # an evaluation batch: one target per user
        return inputs, read(batch['userTargets'], batch['size'])
    return inputs, read(batch['targets'], count).reshape(shape)


def build_model(case, manifest, floats):
    torch.manual_seed(1)
    if case['model'] == 'sasrec':
        return Sasrec(case['config'])
    features = []
    for entry in manifest['features'].get(case['dataset'], []):
        rows, dim = entry['rows'], entry['dim']
        values = torch.from_numpy(floats[entry['values']:entry['values'] + rows * dim].reshape(rows, dim).copy())
        mask = torch.from_numpy(floats[entry['mask']:entry['mask'] + rows].copy())
        features.append((values, mask))
    return Imecd(case['config'], features)


def train_case(case, manifest, ints, floats, models):
    model = build_model(case, manifest, floats)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    seconds = []
    for index, batch in enumerate(case['batches']):
        inputs, targets = batch_tensors(ints, batch)
        started = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = model.loss(inputs, targets)
        loss.backward()
        optimizer.step()
        value = loss.item()  # read back, as the tfjs trainer does (dataSync)
        if index >= case['warmup']:
            seconds.append(time.perf_counter() - started)
        if not math.isfinite(value):
            raise RuntimeError(f"{case['id']}: loss {value} at batch {index}")
    models[case['id']] = model
    return {'id': case['id'], 'stepSeconds': seconds, 'lastLoss': value}


def rank_metrics(scores, targets, ks):
    """Full ranking over items 1..N with expected ties, like @imecd/metrics: HR@k and NDCG@k sums."""
    scores = scores[:, 1:]
    target_scores = scores.gather(1, (targets - 1)[:, None])
    higher = (scores > target_scores).sum(1).double()
    ties = (scores == target_scores).sum(1).double() - 1
    rank = higher + ties / 2 + 1  # expected rank when ties are broken at random
    return {k: ((rank <= k).double().sum().item(), torch.where(rank <= k, 1 / torch.log2(rank + 1), 0).sum().item()) for k in ks}


def eval_case(case, manifest, ints, floats, models):
    model = models.get(case.get('modelFrom')) or build_model(case, manifest, floats)
    model.eval()
    seconds = []
    for _ in range(case['repeats']):
        started = time.perf_counter()
        users = 0
        with torch.no_grad():
            for batch in case['batches']:
                histories, wanted = batch_tensors(ints, batch)
                rank_metrics(model.score_all(histories), wanted, case['ks'])
                users += batch['size']
        seconds.append(time.perf_counter() - started)
    return {'id': case['id'], 'passSeconds': seconds, 'users': users}


def main():
    manifest, ints, floats = load(sys.argv[1])
    threads = manifest['threads']
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    results, models = [], {}
    for case in manifest['cases']:
        run = train_case if case['kind'] == 'train' else eval_case
        results.append(run(case, manifest, ints, floats, models))
    print(json.dumps({
        'torchVersion': torch.__version__,
        'threads': torch.get_num_threads(),
        'blas': blas_in_use(),
        'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'cases': results,
    }))


if __name__ == '__main__':
    main()
