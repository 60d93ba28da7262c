"""The MkDocs plugin's own decisions (generator/site/plugin.py): where a copy of the site points."""

from __future__ import annotations

import subprocess

import pytest

from generator.site.stage import repository_blob_url


def test_in_ci_edit_links_point_at_the_repository_being_built(tmp_path):
    env = {"GITHUB_REPOSITORY": "yantai-volunteers/minsheng-ledger", "GITHUB_REF_NAME": "main"}
    assert repository_blob_url(tmp_path, env) == "https://github.com/yantai-volunteers/minsheng-ledger/blob/main"
    pull_request = {"GITHUB_REPOSITORY": "a/b", "GITHUB_REF_NAME": "7/merge", "GITHUB_BASE_REF": "main"}
    assert repository_blob_url(tmp_path, pull_request) == "https://github.com/a/b/blob/main"


@pytest.mark.parametrize(
    "remote, expected",
    [
        ("https://github.com/fork-owner/ledger.git", "https://github.com/fork-owner/ledger/blob/main"),
        ("git@github.com:fork-owner/ledger.git", "https://github.com/fork-owner/ledger/blob/main"),
        ("https://gitee.com/someone/ledger.git", None),
    ],
)
def test_a_local_copy_links_to_its_own_github_remote_or_nowhere(tmp_path, remote, expected):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", remote], check=True)
    assert repository_blob_url(tmp_path, {}) == expected


def test_without_git_or_ci_there_are_no_edit_links(tmp_path):
    assert repository_blob_url(tmp_path, {}) is None
