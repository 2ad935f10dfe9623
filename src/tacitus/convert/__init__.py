"""tacitus.convert"""
