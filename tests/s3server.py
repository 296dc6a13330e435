"""A local S3 emulator (moto in server mode) for tests and the multi-process proof."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REGION = "ap-southeast-3"


def free_port():
    """A port the kernel has just handed out. A fixed range scanned from its start gave
    two test processes the same port at once, and one emulator to share."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def moto_server(port=None, log_dir=None):
    """Start `moto_server` on 127.0.0.1:<port>, yield its endpoint URL, stop it."""
    port = port or free_port()
    moto = Path(sys.executable).with_name("moto_server")
    log = open(Path(log_dir or "/tmp") / f"moto-{port}.log", "wb")
    process = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **CREDENTIALS},
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)  # noqa: S310
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"moto_server exited: see {log.name}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("moto_server did not start")
        if process.poll() is not None:  # another emulator answered on that port
            raise RuntimeError(f"moto_server exited: see {log.name}")
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def create_buckets(endpoint, *names):
    client = s3_client(endpoint)
    for name in names:
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return client
