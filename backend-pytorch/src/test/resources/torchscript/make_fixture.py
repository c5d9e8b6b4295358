"""Makes the TorchScript test fixture: a tiny 4-class network traced with PyTorch.

Run with Debian's python3 and python3-torch (apt-get install python3-torch):
    /usr/bin/python3 make_fixture.py
Writes tiny.pt, tiny.sidecar.json and tiny.expected.json (logits for a fixed input).
"""
import json
import math

import torch

torch.manual_seed(7)


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.fc = torch.nn.Linear(4, 4)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        x = x.mean(dim=(2, 3))
        return self.fc(x)


net = Tiny().eval()
fixed = torch.tensor([math.sin(i * 0.01) for i in range(48 * 48)], dtype=torch.float32).reshape(1, 1, 48, 48)
traced = torch.jit.trace(net, fixed)
traced.save("tiny.pt")
with torch.no_grad():
    logits = traced(fixed)[0].tolist()
json.dump({"input": "sin(0.01 * i) for i in 0..2303, NCHW 1x1x48x48", "logits": logits},
          open("tiny.expected.json", "w"), indent=2)
json.dump({"name": "tiny-torchscript", "labels": ["angry", "happy", "neutral", "sad"],
           "input": {"channels": 1, "height": 48, "width": 48, "mean": [0.5], "std": [0.5],
                     "layout": "NCHW"},
           "output": {"kind": "logits"}},
          open("tiny.sidecar.json", "w"), indent=2)
print("logits", logits)
