"""tacitus.datasets"""
