"""Stored task paths from before the robot's tasks moved into `casework.pipeline`.

The task table keeps each queued task's dotted path (`bistand.casework.tasks.advance_pipeline`); the worker
imports it by that path when the task runs. This module only re-exports the tasks, so that tasks queued
before an upgrade still run after it. New code imports them from `bistand.casework.pipeline`.
"""

from bistand.casework.pipeline import advance_pipeline, receive_application

__all__ = ["advance_pipeline", "receive_application"]
