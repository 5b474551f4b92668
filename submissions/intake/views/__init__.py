"""The views of intake: the call and its form, tracking, and the editor's entry of a mailed entry."""
