from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "bistand.casework"

    def ready(self) -> None:
        # lazy: receivers and periodic jobs are connected once the apps are loaded (their modules import models).
        from bistand.casework import handoffs  # noqa: F401
        from bistand.casework.paper import remove_abandoned_scans
        from bistand.casework.pipeline import resume_stalled, resume_waiting
        from bistand.casework.register_gap import recollect_gaps
        from bistand.core import periodic

        # A worker that died mid-step left its run behind: pick it up again.
        periodic.register("casework.resume_stalled", resume_stalled)
        # Applications waiting for a riksnorm that has been imported since (the import also does this).
        periodic.register("casework.resume_waiting", resume_waiting, every=6)
        # Scans read by OCR for an application that was never registered.
        periodic.register("casework.remove_abandoned_scans", remove_abandoned_scans, every=6)
        # Cases routed for a register that did not answer: back to the robot once it answers.
        periodic.register("casework.recollect_gaps", recollect_gaps, every=6)
