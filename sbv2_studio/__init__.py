"""SBV2 Studio: a torch-free Style-Bert-VITS2 speech synthesis engine and desktop studio."""

__version__ = "0.1.0"
